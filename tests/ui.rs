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
use policylens::ui::command::{Command, ExportWhat};
use policylens::ui::jobs::Source;
use policylens::ui::state::{Settings, Tab};

/// A scratch copy of the sample articles, so annotations saved by the app stay out of
/// the source tree.
fn sample_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::copy_sample_articles(dir.path());
    dir
}

fn harness_with_sample(sample: &Path) -> Harness<'static, PolicyLensApp> {
    Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .with_context_setup(setup_context)
        .build_ui_state(
            |ui, app: &mut PolicyLensApp| app.ui_root(ui),
            PolicyLensApp::with_settings(Settings::default())
                .with_sample_folder(sample.to_path_buf()),
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

/// A harness with the sample articles open (from a scratch copy, returned to keep it).
fn sample_harness() -> (Harness<'static, PolicyLensApp>, tempfile::TempDir) {
    let sample = sample_copy();
    let mut harness = harness_with_sample(sample.path());
    open(&mut harness, sample.path());
    (harness, sample)
}

/// Clicks the first project row; its item index and text.
fn click_first_project(harness: &mut Harness<'static, PolicyLensApp>) -> (usize, String) {
    let (item_index, text) = {
        let app = harness.state();
        let workspace = app.workspace().unwrap();
        let &first_project = app
            .shown_items()
            .iter()
            .find(|&&i| workspace.items[i as usize].kind == ItemKind::Project)
            .unwrap();
        let item = &workspace.items[first_project as usize];
        (first_project as usize, item.text.clone())
    };
    harness.get_all_by_label(&text).next().unwrap().click();
    harness.run();
    (item_index, text)
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
    let sample = sample_copy();
    let mut harness = harness_with_sample(sample.path());
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
    let (mut harness, _sample) = sample_harness();
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
    let (mut harness, _sample) = sample_harness();
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
    let (mut harness, _sample) = sample_harness();
    let (item_index, text) = click_first_project(&mut harness);
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
    let (mut harness, _sample) = sample_harness();
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
    let (mut harness, _sample) = sample_harness();
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
    let mut harness = harness_with_sample(dir.path());
    open(&mut harness, dir.path());
    harness.get_by_label_contains("file is empty");
    harness.get_by_label_contains("looks binary");
    harness.get_by_label_contains("Files that could not be loaded: 2");
    let workspace = harness.state().workspace().unwrap();
    assert!(workspace.items.iter().any(|i| i.file == "good.txt"));
}

#[test]
fn language_switches_at_run_time() {
    let (mut harness, _sample) = sample_harness();
    harness.get_by_label("简体中文").click();
    harness.run();
    harness.get_by_label("筛选");
    harness.get_by_role_and_label(Role::Button, "市、省");
    harness.get_by_label("English").click();
    harness.run();
    harness.get_by_label("Filter");
}

#[test]
fn tag_note_export_and_undo() {
    let (mut harness, sample) = sample_harness();
    let (item_index, text) = click_first_project(&mut harness);
    // Key 1 puts the first tag on the selected row.
    harness.key_press(egui::Key::Num1);
    harness.run();
    let tagged = |app: &PolicyLensApp| {
        app.review()
            .unwrap()
            .note_of(item_index)
            .is_some_and(|n| n.tags.contains(&1))
    };
    assert!(tagged(harness.state()));
    // Its chip shows in the table row and beside the source view's caption.
    assert_eq!(harness.get_all_by_label(" 重点 ").count(), 2);
    // A note, typed into the review panel's note editor.
    harness
        .get_by_role_and_label(Role::MultilineTextInput, "Note")
        .click();
    harness.run();
    harness
        .get_by_role_and_label(Role::MultilineTextInput, "Note")
        .type_text("需核实投资, \"见原文\"");
    harness.run();
    let note = harness
        .state()
        .review()
        .unwrap()
        .note_of(item_index)
        .unwrap()
        .note
        .clone();
    assert_eq!(note, "需核实投资, \"见原文\"");
    // Export the shown rows as the save dialog's answer would.
    let out = sample.path().join("export.csv");
    let ctx = harness.ctx.clone();
    harness.state_mut().apply(
        &ctx,
        Command::Export {
            what: ExportWhat::ShownItems,
            path: out.clone(),
        },
    );
    harness.run();
    let csv = std::fs::read_to_string(&out).unwrap();
    let line = csv
        .lines()
        .find(|l| l.contains("需核实投资"))
        .expect("note exported");
    assert!(line.contains("重点 Key"), "{line}");
    harness.get_by_label("Open folder");
    // Undo (focus out of the note editor first, as the analyst would with Esc/click).
    harness.get_by_label(&format!("«{text}»")).click();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run();
    assert!(!tagged(harness.state()), "undo removed the tag");
    // The annotations file on disk follows.
    harness.state_mut().flush_annotations();
    let saved = policylens::annotate::store::read_saved(sample.path()).unwrap();
    assert!(saved.items.values().all(|n| !n.tags.contains(&1)));
}

#[test]
fn a_selected_span_becomes_a_manual_item() {
    let (mut harness, sample) = sample_harness();
    let ctx = harness.ctx.clone();
    let (document, start, end, text) = {
        let workspace = harness.state().workspace().unwrap();
        let document = 0;
        // A stretch of the first paragraph the extractor did not take.
        let text: String = workspace.documents[document]
            .text
            .chars()
            .skip(2)
            .take(4)
            .collect();
        (document, 2, 6, text)
    };
    harness.state_mut().apply(
        &ctx,
        Command::AddManualItem {
            document,
            start,
            end,
            kind: ItemKind::Project,
        },
    );
    harness.run();
    let manual = {
        let app = harness.state();
        let workspace = app.workspace().unwrap();
        let index = workspace.items.len() - 1;
        let item = &workspace.items[index];
        assert_eq!(
            (item.text.as_str(), item.kind),
            (text.as_str(), ItemKind::Project)
        );
        assert!(
            app.shown_items().contains(&(index as u32)),
            "shown in the table"
        );
        assert_eq!(app.selection().item, Some(index), "and selected");
        index
    };
    let out = sample.path().join("all.csv");
    harness.state_mut().apply(
        &ctx,
        Command::Export {
            what: ExportWhat::AllItems,
            path: out.clone(),
        },
    );
    let csv = std::fs::read_to_string(&out).unwrap();
    let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let status_column = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "status")
        .unwrap();
    let manual_rows = reader
        .records()
        .map(Result::unwrap)
        .filter(|r| &r[status_column] == "manual")
        .count();
    assert_eq!(manual_rows, 1);
    // Undo takes it away again.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run();
    let workspace = harness.state().workspace().unwrap();
    assert_eq!(workspace.items.len(), manual);
}
