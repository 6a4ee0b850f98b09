//! Opening a folder in the real app (headless, egui_kittest: the UI pass without GPU
//! rendering): time until the table is ready, frame times while the folder loads, and
//! peak memory. Run twice on the same folder to see a cold open (extraction) and a warm
//! one (the `.policylens/` extraction cache).
//!
//! `cargo bench --bench open -- FOLDER [--fresh]` (`--fresh` deletes the folder's cache
//! first). Under `cargo test` it does nothing: timings are reported, never asserted.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use policylens::ui::PolicyLensApp;
use policylens::ui::app::setup_context;
use policylens::ui::command::Command;
use policylens::ui::jobs::Source;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if !args.iter().any(|a| a == "--bench") {
        return;
    }
    let folder = args
        .iter()
        .find(|a| !a.starts_with('-'))
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample_data"));
    if args.iter().any(|a| a == "--fresh") {
        let _ = std::fs::remove_file(policylens::cache::cache_path(&folder));
    }
    // The segmenter's dictionary loads once per process; the app pays it at start-up.
    let start = Instant::now();
    policylens::Extractor::shared();
    println!("extractor init    {:>8.0} ms", ms(start.elapsed()));

    let mut harness = Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .with_context_setup(setup_context)
        .build_ui_state(
            |ui, app: &mut PolicyLensApp| app.ui_root(ui),
            PolicyLensApp::with_settings(Default::default()),
        );
    harness.step();
    let ctx = harness.ctx.clone();
    let opened = Instant::now();
    harness
        .state_mut()
        .apply(&ctx, Command::Open(Source::Folder(folder.clone())));
    let mut frames = Vec::new();
    while harness.state().workspace().is_none() {
        let frame = Instant::now();
        harness.step();
        frames.push(frame.elapsed());
        assert!(
            harness.state().is_loading() || harness.state().workspace().is_some(),
            "the folder did not open"
        );
        // About 60 frames a second, as a display would ask for them.
        std::thread::sleep(Duration::from_millis(16).saturating_sub(frame.elapsed()));
    }
    let ready = opened.elapsed();
    // The first frames with the table: rows sorted and laid out.
    let mut table_frames = Vec::new();
    for _ in 0..3 {
        let frame = Instant::now();
        harness.step();
        table_frames.push(frame.elapsed());
    }
    let workspace = harness.state().workspace().unwrap();
    println!("folder            {}", folder.display());
    println!(
        "documents         {} ({} items)",
        workspace.documents.len(),
        workspace.items.len()
    );
    println!(
        "table ready       {:>8.2} s after Open",
        ready.as_secs_f64()
    );
    frames.sort();
    let percentile = |p: f64| frames[((frames.len() - 1) as f64 * p) as usize];
    println!(
        "frames loading    {} frames: median {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        frames.len(),
        ms(percentile(0.5)),
        ms(percentile(0.99)),
        ms(*frames.last().unwrap())
    );
    println!(
        "first table frames {}",
        table_frames
            .iter()
            .map(|f| format!("{:.0} ms", ms(*f)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    if let (Some(peak), Some(now)) = (status_kb("VmHWM:"), status_kb("VmRSS:")) {
        println!(
            "RSS               {:>8.0} MB peak, {:.0} MB with the table shown",
            peak as f64 / 1024.0,
            now as f64 / 1024.0
        );
    }
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}

/// A memory figure of this process from /proc/self/status (Linux), in kB: `VmHWM:` is
/// the peak resident set, `VmRSS:` the current one.
fn status_kb(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with(field))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}
