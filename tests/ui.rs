//! The desktop app driven headless with egui_kittest: open folders through the same
//! command the folder dialog's result takes, then click, type and read like an analyst.

#![cfg(feature = "gui")]

mod common;

use std::path::Path;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use policylens::ItemKind;
use policylens::ui::PolicyLensApp;
use policylens::ui::app::setup_context;
use policylens::ui::command::Command;
use policylens::ui::jobs::Source;
use policylens::ui::state::{Settings, Tab};

fn harness() -> Harness<'static, PolicyLensApp> {
    Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .with_context_setup(setup_context)
        .build_ui_state(
            |ui, app: &mut PolicyLensApp| app.ui_root(ui),
            PolicyLensApp::with_settings(Settings::default()),
        )
}

/// Opens `folder` as the dialog's result would, and waits for the load to finish.
fn open(harness: &mut Harness<'static, PolicyLensApp>, folder: &Path) {
    let ctx = harness.ctx.clone();
    harness
        .state_mut()
        .apply(&ctx, Command::Open(Source::Folder(folder.to_path_buf())));
    assert!(harness.state().is_loading());
    harness.state_mut().wait_for_load();
    harness.run();
    assert!(harness.state().workspace().is_some(), "folder did not open");
}

fn open_sample(harness: &mut Harness<'static, PolicyLensApp>) {
    open(harness, &common::repo_path("sample_data"));
}

fn shown_amounts(app: &PolicyLensApp) -> Vec<Option<f64>> {
    let workspace = app.workspace().unwrap();
    app.shown_items()
        .iter()
        .map(|&i| workspace.items[i as usize].amount_yuan)
        .collect()
}

#[test]
fn start_screen_offers_open_and_sample() {
    let mut harness = harness();
    harness.run();
    harness.get_by_label_contains("Open folder…");
    harness
        .get_by_label_contains("Open sample articles")
        .click();
    // The progress view animates while loading, so step rather than run to rest.
    harness.step();
    assert!(harness.state().is_loading());
    harness.step();
    harness.get_by_label("Cancel");
    harness.state_mut().wait_for_load();
    harness.run();
    let workspace = harness.state().workspace().expect("sample opened");
    assert_eq!(workspace.documents.len(), 5);
}

#[test]
fn clicking_amount_twice_sorts_largest_first() {
    let mut harness = harness();
    open_sample(&mut harness);
    harness
        .get_by_role_and_label(Role::Button, "Amount")
        .click();
    harness.run();
    harness
        .get_by_role_and_label(Role::Button, "Amount ▲")
        .click();
    harness.run();
    harness.get_by_role_and_label(Role::Button, "Amount ▼");
    let amounts = shown_amounts(harness.state());
    let largest = amounts.iter().flatten().copied().fold(f64::MIN, f64::max);
    assert!(largest > 0.0, "the sample has amounts");
    assert_eq!(amounts[0], Some(largest));
    // Missing amounts go last, not first, when sorting descending.
    let first_missing = amounts.iter().position(Option::is_none).unwrap();
    assert!(amounts[first_missing..].iter().all(Option::is_none));
}

#[test]
fn typing_in_the_filter_keeps_only_matching_district() {
    let mut harness = harness();
    open_sample(&mut harness);
    let before = harness.state().shown_items().len();
    // Ctrl+F focuses the filter box; typing goes straight into it.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    harness.run();
    harness.event(egui::Event::Text("清徐".to_owned()));
    harness.run();
    assert_eq!(
        harness.get_by_label("Filter").value().as_deref(),
        Some("清徐")
    );
    let app = harness.state();
    let workspace = app.workspace().unwrap();
    let shown = app.shown_items();
    assert!(!shown.is_empty() && shown.len() < before);
    for &i in shown {
        assert_eq!(
            workspace.items[i as usize].district.as_deref(),
            Some("清徐县"),
            "{:?}",
            workspace.items[i as usize].text
        );
    }
    // Esc in the filter box clears it.
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert_eq!(harness.state().shown_items().len(), before);
}

#[test]
fn clicking_a_row_shows_its_span_in_the_source_view() {
    let mut harness = harness();
    open_sample(&mut harness);
    let (item_index, text) = {
        let app = harness.state();
        let workspace = app.workspace().unwrap();
        let &first_project = app
            .shown_items()
            .iter()
            .find(|&&i| workspace.items[i as usize].kind == ItemKind::Project)
            .unwrap();
        (
            first_project as usize,
            workspace.items[first_project as usize].text.clone(),
        )
    };
    harness.get_all_by_label(&text).next().unwrap().click();
    harness.run();
    assert_eq!(harness.state().selection().item, Some(item_index));
    let caption_text = format!("«{text}»");
    let caption = harness.get_by_label(&caption_text);
    assert!(
        caption.rect().min.x > 1000.0,
        "caption is in the source panel"
    );
    // The article is shown, with the span's document title as its accessible name.
    let workspace = harness.state().workspace().unwrap();
    let article = format!("Source: {}", workspace.document_of(item_index).title);
    harness.get_by_role_and_label(Role::Label, &article);
}

#[test]
fn arrow_keys_move_the_selection() {
    let mut harness = harness();
    open_sample(&mut harness);
    harness.key_press(egui::Key::ArrowDown);
    harness.run();
    let first = harness.state().shown_items()[0] as usize;
    assert_eq!(harness.state().selection().item, Some(first));
    harness.key_press(egui::Key::ArrowDown);
    harness.run();
    let second = harness.state().shown_items()[1] as usize;
    assert_eq!(harness.state().selection().item, Some(second));
}

#[test]
fn clicking_a_district_row_filters_the_items() {
    let mut harness = harness();
    open_sample(&mut harness);
    harness.get_by_label_contains("Districts (").click();
    harness.run();
    harness.get_by_label("阳曲县").click();
    harness.run();
    let app = harness.state();
    let workspace = app.workspace().unwrap();
    assert!(!app.shown_items().is_empty());
    for &i in app.shown_items() {
        assert_eq!(
            workspace.items[i as usize].district.as_deref(),
            Some("阳曲县")
        );
    }
    // Back on the items tab, which names the filter in its picker.
    harness.get_by_label_contains("Items (");
    let _ = Tab::Items;
}

#[test]
fn a_folder_with_a_bad_file_lists_its_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        common::repo_path("sample_data")
            .read_dir()
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path(),
        dir.path().join("good.txt"),
    )
    .unwrap();
    std::fs::write(dir.path().join("empty.txt"), b"").unwrap();
    std::fs::write(dir.path().join("binary.txt"), b"\x00\x01\x02PNG").unwrap();
    let mut harness = harness();
    open(&mut harness, dir.path());
    harness.get_by_label_contains("file is empty");
    harness.get_by_label_contains("looks binary");
    harness.get_by_label_contains("Files that could not be loaded: 2");
    let workspace = harness.state().workspace().unwrap();
    assert!(workspace.items.iter().any(|i| i.file == "good.txt"));
}

#[test]
fn language_switches_at_run_time() {
    let mut harness = harness();
    open_sample(&mut harness);
    harness.get_by_label("简体中文").click();
    harness.run();
    harness.get_by_label("筛选");
    harness.get_by_role_and_label(Role::Button, "市、省");
    harness.get_by_label("English").click();
    harness.run();
    harness.get_by_label("Filter");
}
