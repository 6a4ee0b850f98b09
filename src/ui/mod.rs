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

/// The window icon, `assets/icon.png` (drawn by `assets/make_icon.py`).
pub fn window_icon() -> egui::IconData {
    const PNG: &[u8] = include_bytes!("../../assets/icon.png");
    let decoded = (|| {
        let mut reader = png::Decoder::new(std::io::Cursor::new(PNG))
            .read_info()
            .ok()?;
        let mut rgba = vec![0; reader.output_buffer_size()?];
        let frame = reader.next_frame(&mut rgba).ok()?;
        rgba.truncate(frame.buffer_size());
        (frame.color_type == png::ColorType::Rgba).then_some(egui::IconData {
            rgba,
            width: frame.width,
            height: frame.height,
        })
    })();
    // The icon is compiled in and checked by a test; a window without one still works.
    decoded.unwrap_or_default()
}

/// Opens the app window, loading `open` straight away when given.
pub fn run(open: Option<Source>) -> anyhow::Result<()> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("PolicyLens")
            .with_app_id("policylens")
            .with_inner_size([1400.0, 860.0])
            .with_min_inner_size([720.0, 480.0])
            .with_drag_and_drop(true)
            .with_icon(std::sync::Arc::new(window_icon())),
        ..Default::default()
    };
    eframe::run_native(
        "PolicyLens",
        options,
        Box::new(move |cc| Ok(Box::new(PolicyLensApp::new(cc, open)))),
    )
    .map_err(|err| anyhow::anyhow!("cannot open the window: {err}"))
}
