//! File → Close folder drops everything of the folder (issue 14): no thread of it stays
//! alive and its filters are reset. Its own test binary, so the threads counted are this
//! test's.

#![cfg(feature = "gui")]

mod common;

use egui_kittest::kittest::Queryable;

/// Names of this process's threads (Linux: `/proc/self/task/*/comm`).
fn thread_names() -> Vec<String> {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return Vec::new();
    };
    tasks
        .flatten()
        .filter_map(|task| std::fs::read_to_string(task.path().join("comm")).ok())
        .map(|name| name.trim().to_owned())
        .collect()
}

fn folder_threads() -> usize {
    thread_names()
        .iter()
        .filter(|name| name.starts_with("policylens-fold") || name.starts_with("policylens-refr"))
        .count()
}

#[test]
fn closing_a_folder_ends_its_threads_and_resets_its_filters() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_sample_articles(dir.path());
    let mut harness = common::app_with_folder(dir.path());
    if cfg!(target_os = "linux") {
        assert!(
            folder_threads() > 0,
            "the folder's probe runs: {:?}",
            thread_names()
        );
    }
    harness.state_mut().items_filter_mut().district = Some("清徐县".to_owned());
    harness.state_mut().items_filter_mut().document = Some("001_43fc77b577ed78f0.txt".to_owned());
    harness.run();
    harness.get_by_label("File").click();
    harness.run();
    harness.get_by_label("Close folder Ctrl+W").click();
    harness.run();
    assert!(harness.state().workspace().is_none());
    assert!(harness.state().folder_watch().is_none());
    let filter = harness.state().items_filter();
    assert_eq!((&filter.district, &filter.document), (&None, &None));
    // The probe thread ends as soon as its watch is dropped, not after its next probe.
    let mut alive = folder_threads();
    for _ in 0..50 {
        if alive == 0 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
        alive = folder_threads();
    }
    assert_eq!(alive, 0, "{:?}", thread_names());
}
