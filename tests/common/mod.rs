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
