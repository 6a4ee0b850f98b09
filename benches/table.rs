//! The items table at scale: 500,000 items (the sample or a given folder's items,
//! replicated). Measures sorting and filtering in the core, and frame times of the real
//! UI (headless, egui_kittest: the UI pass without GPU rendering) while scrolling, after
//! a sort and while typing in the filter.
//!
//! `cargo bench --bench table [-- FOLDER]`. Under `cargo test` it does nothing: timings
//! are reported, never asserted.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use policylens::pipeline::{Extraction, Progress, extract_folder};
use policylens::table::{ItemColumn, ItemFilter, NoNotes, Sort, SortRanks, item_rows};
use policylens::ui::PolicyLensApp;
use policylens::ui::app::setup_context;
use policylens::ui::state::Settings;

const TARGET_ITEMS: usize = 500_000;

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
    let base = extract_folder(&folder, &Default::default(), &Progress::default())
        .expect("folder readable");
    let extraction = replicate(base, TARGET_ITEMS);
    println!(
        "items             {} ({} documents, from {})",
        extraction.items.len(),
        extraction.documents.len(),
        folder.display()
    );

    // Core: sort and filter alone.
    let start = Instant::now();
    let ranks = SortRanks::new(&extraction.items);
    println!(
        "sort ranks         {:>7.1} ms (built once per load, off the UI thread)",
        ms(start.elapsed())
    );
    let no_filter = ItemFilter {
        hidden_kinds: Default::default(),
        ..ItemFilter::default()
    };
    for column in [
        ItemColumn::Amount,
        ItemColumn::Text,
        ItemColumn::District,
        ItemColumn::Date,
    ] {
        let sort = Some(Sort {
            column,
            descending: true,
        });
        let took = median(5, || {
            std::hint::black_box(item_rows(
                &extraction.items,
                &NoNotes,
                &[],
                Some(&ranks),
                &no_filter,
                sort,
            ));
        });
        println!(
            "sort {column:<12?} {:>7.1} ms (filter + sort, median of 5)",
            ms(took)
        );
    }
    for typed in ["清", "清徐", "清徐县", "qingxu"] {
        let filter = ItemFilter {
            text: typed.to_owned(),
            ..no_filter.clone()
        };
        let sort = Some(Sort {
            column: ItemColumn::Amount,
            descending: true,
        });
        let took = median(5, || {
            std::hint::black_box(item_rows(
                &extraction.items,
                &NoNotes,
                &[],
                Some(&ranks),
                &filter,
                sort,
            ));
        });
        println!(
            "filter {typed:<10} {:>7.1} ms (sorted by amount, median of 5)",
            ms(took)
        );
    }

    // The real UI, headless.
    let mut app = PolicyLensApp::with_settings(Settings::default());
    let start = Instant::now();
    app.show_extraction(extraction);
    let took = start.elapsed();
    println!(
        "workspace ready    {:>7.1} ms (lookups, district overview)",
        ms(took)
    );
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .with_context_setup(setup_context)
        .build_ui_state(|ui, app: &mut PolicyLensApp| app.ui_root(ui), app);
    let first = time(|| harness.step());
    println!("first frame        {:>7.1} ms", ms(first));
    for _ in 0..5 {
        harness.step();
    }
    let mut scroll_frames = Vec::new();
    for _ in 0..120 {
        harness.hover_at(egui::pos2(600.0, 500.0));
        harness.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Line,
            delta: egui::vec2(0.0, -8.0),
            phase: egui::TouchPhase::Move,
            modifiers: egui::Modifiers::NONE,
            source: egui::MouseWheelSource::Wheel,
        });
        scroll_frames.push(time(|| harness.step()));
    }
    report("frame scrolling", &mut scroll_frames);

    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "Amount")
        .click();
    let sort_frame = time(|| harness.step());
    println!(
        "frame with sort    {:>7.1} ms (click on Amount: sorts 500k rows)",
        ms(sort_frame)
    );
    let mut after_sort = (0..60).map(|_| time(|| harness.step())).collect::<Vec<_>>();
    report("frame after sort", &mut after_sort);

    harness.get_by_label("Filter").click();
    harness.step();
    let mut keystrokes = Vec::new();
    for ch in ["清", "徐", "县"] {
        harness.event(egui::Event::Text(ch.to_owned()));
        keystrokes.push(time(|| harness.step()));
    }
    report("frame per keystroke", &mut keystrokes);
}

/// The extraction copied into sub-folders until it holds at least `target` items.
fn replicate(base: Extraction, target: usize) -> Extraction {
    let copies = target.div_ceil(base.items.len().max(1));
    // A scratch folder, so the app's annotation store does not write into the corpus.
    let scratch = std::env::temp_dir().join("policylens-table-bench");
    let _ = std::fs::create_dir_all(&scratch);
    let mut out = Extraction {
        folder: scratch,
        ..Extraction::default()
    };
    for copy in 0..copies {
        for document in &base.documents {
            let mut document = document.clone();
            document.file = format!("copy{copy:04}/{}", document.file);
            out.documents.push(document);
        }
        for item in &base.items {
            let mut item = item.clone();
            item.file = format!("copy{copy:04}/{}", item.file);
            out.items.push(item);
        }
    }
    out.items.truncate(target.max(base.items.len()));
    out
}

fn time(mut f: impl FnMut()) -> Duration {
    let start = Instant::now();
    f();
    start.elapsed()
}

fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs).map(|_| time(&mut f)).collect();
    times.sort();
    times[runs / 2]
}

fn report(what: &str, frames: &mut [Duration]) {
    frames.sort();
    let p = |q: f64| ms(frames[((frames.len() - 1) as f64 * q) as usize]);
    println!(
        "{what:<18} median {:>6.2} ms, p95 {:>6.2} ms, max {:>6.2} ms ({} frames)",
        p(0.5),
        p(0.95),
        p(1.0),
        frames.len()
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
