//! Shared fixtures of the integration tests.

#![allow(dead_code)]

use std::path::PathBuf;

use policylens::pipeline::{Extraction, Progress, extract_folder};

pub fn repo_path(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(relative)
}

pub fn extract(folder: &std::path::Path) -> Extraction {
    extract_folder(folder, &Default::default(), &Progress::default()).expect("folder readable")
}

/// F1 per kind of `extraction` against the seed gold (`tests/gold/`), each gold file
/// matched to the items of the file with its stem (`000_….txt` or `000_….pdf`), as
/// score.py does (through the core's port of it, `policylens::evaluate`).
pub fn seed_scores(extraction: &Extraction) -> std::collections::BTreeMap<&'static str, f64> {
    use policylens::evaluate::{self, Counts, GoldDoc};
    let mut totals: std::collections::BTreeMap<&'static str, Counts> = Default::default();
    let mut files: Vec<PathBuf> = std::fs::read_dir(repo_path("tests/gold"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 5, "five gold files expected in tests/gold");
    for path in files {
        let gold = GoldDoc::parse(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let stem = path.file_stem().unwrap().to_str().unwrap();
        let items: Vec<policylens::Item> = extraction
            .items
            .iter()
            .filter(|i| {
                std::path::Path::new(&i.file)
                    .file_stem()
                    .and_then(|s| s.to_str())
                    == Some(stem)
            })
            .cloned()
            .collect();
        for kind in evaluate::SCORED_KINDS {
            totals
                .entry(kind.as_str())
                .or_default()
                .add(evaluate::score(&items, &gold, kind));
        }
    }
    totals.into_iter().map(|(k, c)| (k, c.f1())).collect()
}

pub fn sample_extraction() -> Extraction {
    extract(&repo_path("sample_data"))
}

/// Copies the sample articles (files only: running the app on sample_data leaves its
/// `.policylens/` there) into `to`.
pub fn copy_sample_articles(to: &std::path::Path) {
    for entry in std::fs::read_dir(repo_path("sample_data"))
        .unwrap()
        .flatten()
    {
        if entry.path().is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

/// A headless app (egui_kittest) with `folder` open, loaded to the end.
#[cfg(feature = "gui")]
pub fn app_with_folder(
    folder: &std::path::Path,
) -> egui_kittest::Harness<'static, policylens::ui::PolicyLensApp> {
    use policylens::ui::PolicyLensApp;
    use policylens::ui::command::Command;
    use policylens::ui::jobs::Source;
    let mut harness = egui_kittest::Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .with_context_setup(policylens::ui::app::setup_context)
        .build_ui_state(
            |ui, app: &mut PolicyLensApp| app.ui_root(ui),
            PolicyLensApp::with_settings(Default::default()),
        );
    let ctx = harness.ctx.clone();
    harness
        .state_mut()
        .apply(&ctx, Command::Open(Source::Folder(folder.to_path_buf())));
    harness.state_mut().wait_for_load();
    harness.step();
    // Includes the folder watch, set up on a background thread: changes made before it
    // would be missed.
    harness.state_mut().wait_for_background();
    harness.run();
    assert!(harness.state().workspace().is_some(), "folder did not open");
    assert!(
        harness
            .state()
            .folder_watch()
            .is_some_and(|w| w.is_watching()),
        "the folder is watched"
    );
    harness
}

/// Steps the app until `done` holds, as frames pass while the analyst waits; fails after
/// a minute (file system events normally arrive within a second).
#[cfg(feature = "gui")]
pub fn step_until(
    harness: &mut egui_kittest::Harness<'static, policylens::ui::PolicyLensApp>,
    what: &str,
    done: impl Fn(&policylens::ui::PolicyLensApp) -> bool,
) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !done(harness.state()) {
        assert!(
            std::time::Instant::now() < deadline,
            "gave up waiting: {what}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
        harness.step();
    }
    harness.step();
}
