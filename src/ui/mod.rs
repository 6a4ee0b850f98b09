//! The desktop app (feature `gui`): an eframe shell over the core. The core never
//! imports egui; everything here only reads extractions and asks the core for views.

pub mod app;
// The folder session lives in the core; the app's modules reach it under these names.
pub use crate::session::{folder_watch, insights, review, workspace};
pub mod command;
pub mod export;
pub mod i18n;
pub mod jobs;
pub mod menu;
pub mod panels;
pub mod state;
pub mod theme;

pub use app::PolicyLensApp;
pub use jobs::Source;

/// Opens the app window, loading `open` straight away when given.
pub fn run(open: Option<Source>) -> anyhow::Result<()> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("PolicyLens")
            .with_app_id("policylens")
            .with_inner_size([1400.0, 860.0])
            .with_min_inner_size([720.0, 480.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    eframe::run_native(
        "PolicyLens",
        options,
        Box::new(move |cc| Ok(Box::new(PolicyLensApp::new(cc, open)))),
    )
    .map_err(|err| anyhow::anyhow!("cannot open the window: {err}"))
}
