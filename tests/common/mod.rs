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
