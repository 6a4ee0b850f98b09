//! The desktop app driven headless with egui_kittest: open folders through the same
//! command the folder dialog's result takes, then click, type and read like an analyst.

#![cfg(feature = "gui")]

mod common;

use std::path::Path;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use policylens::ItemKind;
use policylens::ui::PolicyLensApp;
use policylens::ui::app::setup_context;
use policylens::ui::command::{Command, ExportWhat};
use policylens::ui::folder_watch::FolderNotice;
use policylens::ui::jobs::Source;
use policylens::ui::menu::{MENU_COMMANDS, MenuCommand, MenuState};
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
                .with_sample_folder(sample.to_path_buf())
                // The tester's own lexicon must not change what the tests see.
                .with_user_lexicon(None),
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
    harness.step();
    harness.state_mut().wait_for_background();
    settle(harness);
    assert!(harness.state().workspace().is_some(), "folder did not open");
}

/// Runs frames until the app is at rest. A fresh folder's watcher may still deliver the
/// events of the app's own cache write a moment later and ask for one more frame; that
/// is allowed a few times, a UI that never rests is not.
fn settle(harness: &mut Harness<'static, PolicyLensApp>) {
    for _ in 0..3 {
        if harness.try_run().is_ok() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    harness.run();
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
    harness.step();
    harness.state_mut().wait_for_background();
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
    harness.get_by_role_and_label(Role::Button, "职务");
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
    let manual_rows = export_column(&out, "status")
        .iter()
        .filter(|status| *status == "manual")
        .count();
    assert_eq!(manual_rows, 1);
    // Undo takes it away again.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run();
    let workspace = harness.state().workspace().unwrap();
    assert_eq!(workspace.items.len(), manual);
}

/// Clicks a point of the window, as a mouse would (for plot bars, which have no
/// accessibility node).
fn click_at(harness: &mut Harness<'static, PolicyLensApp>, point: egui::Pos2) {
    harness.hover_at(point);
    harness.run();
    harness.drag_at(point);
    harness.drop_at(point);
    harness.run();
}

#[test]
fn investment_chart_ranks_the_largest_district_first_and_a_click_filters_it() {
    let (mut harness, _sample) = sample_harness();
    // The expected ranking, computed here by hand: each district's project investments,
    // a project named alike in two places counted once.
    let expected_top = {
        let workspace = harness.state().workspace().unwrap();
        let mut per_project: std::collections::HashMap<(String, String), f64> =
            std::collections::HashMap::new();
        for item in workspace.items.iter() {
            if let (ItemKind::Project, Some(_), Some(yuan), Some(district)) = (
                item.kind,
                &item.investment,
                item.amount_yuan,
                &item.district,
            ) {
                let name: String = item.text.replace("项目", "").split_whitespace().collect();
                per_project.insert((district.clone(), name), yuan);
            }
        }
        let mut per_district: std::collections::HashMap<String, f64> =
            std::collections::HashMap::new();
        for ((district, _), yuan) in per_project {
            *per_district.entry(district).or_default() += yuan;
        }
        per_district
            .into_iter()
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(district, _)| district)
            .expect("the sample states project investments")
    };
    show_chart(&mut harness, "Investment by district");
    let bars = harness.state().charts().bar_targets.clone();
    assert!(!bars.is_empty(), "the chart drew no bars");
    assert_eq!(bars[0].0, expected_top);
    assert_eq!(
        expected_top, "古交市",
        "光伏产业龙头项目 140亿元 + 中石化光伏 8.16亿元"
    );
    assert_eq!(harness.state().items_filter().district, None);

    click_at(&mut harness, bars[0].1);
    let app = harness.state();
    assert_eq!(
        app.items_filter().district.as_deref(),
        Some(expected_top.as_str())
    );
    assert_eq!(
        app.settings().tab,
        Tab::Items,
        "the click shows the filtered items"
    );
    let workspace = app.workspace().unwrap();
    assert!(!app.shown_items().is_empty());
    assert!(
        app.shown_items()
            .iter()
            .all(|&i| workspace.items[i as usize].district.as_deref() == Some("古交市"))
    );
}

#[test]
fn charts_follow_the_tag_filter() {
    let (mut harness, _sample) = sample_harness();
    show_chart(&mut harness, "Kinds per district");
    let all_districts = harness.state().insights().kinds.len();
    assert!(all_districts > 3);
    // Tag one project 重点 (key 1), then show only 重点 items.
    let (item, _) = {
        let all = every_item_label(&harness);
        harness.get_by_label(&all).click();
        harness.run();
        click_first_project(&mut harness)
    };
    harness.key_press(egui::Key::Num1);
    harness.run();
    let ctx = harness.ctx.clone();
    harness.state_mut().items_filter_mut().tag = Some(1);
    harness
        .state_mut()
        .apply(&ctx, Command::ShowTab(Tab::Charts));
    harness.run();
    let app = harness.state();
    let kinds = &app.insights().kinds;
    let district = app.workspace().unwrap().items[item]
        .district
        .clone()
        .unwrap();
    assert_eq!(kinds.len(), 1, "only the tagged project's district");
    assert_eq!(kinds[0].district, district);
    assert_eq!(kinds[0].projects, 1);
}

#[test]
fn merging_project_groups_is_saved_exported_and_undoable() {
    let (mut harness, sample) = sample_harness();
    // The tab comes before the items table's "Projects" kind toggle.
    harness.get_all_by_label("Projects").next().unwrap().click();
    harness.run();
    let groups_before = harness.state().insights().groups.len();
    let (first, second) = {
        let groups = &harness.state().insights().groups;
        (groups[0].name.clone(), groups[1].name.clone())
    };
    harness.get_by_label(&first).click();
    harness.run();
    harness
        .get_by_label(&second)
        .click_modifiers(egui::Modifiers::COMMAND);
    harness.run();
    harness.get_by_label_contains("Merge selected (2)").click();
    harness.run();
    let app = harness.state();
    let groups = &app.insights().groups;
    assert_eq!(groups.len(), groups_before - 1);
    // The merged group is named by its most frequent wording, the earliest on a tie
    // (article dates decide which of the two that is).
    let merged = groups.iter().find(|g| g.edited).expect("merged group");
    let merged_name = merged.name.clone();
    assert!([&first, &second].contains(&&merged_name), "{merged_name}");
    let wordings: Vec<&str> = merged.mentions.iter().map(|m| m.text.as_str()).collect();
    assert!(wordings.contains(&second.as_str()), "{wordings:?}");
    assert!(wordings.contains(&first.as_str()), "{wordings:?}");

    let path = sample.path().join("projects.csv");
    let ctx = harness.ctx.clone();
    harness.state_mut().apply(
        &ctx,
        Command::Export {
            what: ExportWhat::Projects,
            path: path.clone(),
        },
    );
    let text = std::fs::read_to_string(&path).unwrap();
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        policylens::export::notes::PROJECT_COLUMNS
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), groups_before - 1);
    let merged_row = rows.iter().find(|r| r[0] == merged_name).unwrap();
    assert!(
        merged_row[12].contains(second.as_str()) && merged_row[12].contains(first.as_str()),
        "wordings: {}",
        &merged_row[12]
    );

    // Saved with the annotations: re-reading the folder keeps the merge.
    harness.state_mut().flush_annotations();
    let saved = policylens::annotate::store::read_saved(sample.path()).unwrap();
    assert!(saved.items.values().any(|n| n.group.is_some()));

    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run();
    assert_eq!(harness.state().insights().groups.len(), groups_before);
}

#[test]
fn a_very_long_article_is_shown_a_page_at_a_time() {
    let folder = tempfile::tempdir().unwrap();
    let article =
        std::fs::read_to_string(common::repo_path("sample_data/000_0231f8137fa1da98.txt")).unwrap();
    let long = format!("{article}\n\n").repeat(200_000 / article.chars().count() + 1);
    std::fs::write(folder.path().join("long.txt"), &long).unwrap();
    let mut harness = common::app_with_folder(folder.path());
    let (last, start) = {
        let workspace = harness.state().workspace().unwrap();
        let last = workspace.items.len() - 1;
        (last, workspace.items[last].start)
    };
    assert!(start > 150_000, "the last item is deep in the article");
    let ctx = harness.ctx.clone();
    harness.state_mut().apply(
        &ctx,
        Command::SelectItem {
            item: last,
            reveal: true,
            extend: policylens::ui::command::Extend::Replace,
        },
    );
    harness.run();
    let page_start = start / 50_000 * 50_000;
    let chars = long.chars().count();
    let label = format!(
        "Very long article, shown a page at a time: characters {page_start}–{} / {chars} ",
        (page_start + 50_000).min(chars)
    );
    harness.get_by_label(&label);
    harness
        .get_by_role_and_label(Role::Button, "Previous page")
        .click();
    harness.run();
    let previous = format!(
        "Very long article, shown a page at a time: characters {}–{page_start} / {chars} ",
        page_start - 50_000
    );
    harness.get_by_label(&previous);
}

#[test]
fn confidence_filter_and_column_are_reached_by_their_labels() {
    let (mut harness, _sample) = sample_harness();
    harness.get_by_label("Confidence below").click();
    harness.run();
    let app = harness.state();
    let workspace = app.workspace().unwrap();
    let doubtful = workspace
        .items
        .iter()
        .filter(|i| i.kind != ItemKind::City && i.confidence.is_some_and(|c| c < 0.8))
        .count();
    assert!(doubtful > 0, "the sample has items under 80 %");
    assert_eq!(app.shown_items().len(), doubtful);
    harness.get_by_label(&format!("Items ({doubtful})"));
    harness.get_by_role_and_label(Role::Button, "Conf.").click();
    harness.run();
    harness.get_by_role_and_label(Role::Button, "Conf. ▲");
    let app = harness.state();
    let workspace = app.workspace().unwrap();
    let shown: Vec<f32> = app
        .shown_items()
        .iter()
        .map(|&i| workspace.items[i as usize].confidence.unwrap())
        .collect();
    assert!(
        shown.windows(2).all(|w| w[0] <= w[1]),
        "ascending by confidence: {shown:?}"
    );
    harness.get_by_role_and_label(Role::Button, "Conf. ▲");
    // Clear filters, shown because this filter narrows the table, clears it too.
    harness
        .get_by_role_and_label(Role::Button, "Clear filters")
        .click();
    harness.run();
    harness.get_by_label(&every_item_label(&harness));
}

/// The items tab's label when no filter narrows the table: every item but the cities
/// (which the district overview shows).
fn every_item_label(harness: &egui_kittest::Harness<'_, PolicyLensApp>) -> String {
    let workspace = harness.state().workspace().unwrap();
    let count = workspace
        .items
        .iter()
        .filter(|i| i.kind != ItemKind::City)
        .count();
    format!("Items ({count})")
}

/// Steady work reaches the disk while it goes on (issue 13 §1): a tag (key 1) and a
/// step down every 350 ms, never the 800 ms pause the autosave used to wait for. The
/// file is read while the app is still open, with nothing closed or flushed, as a
/// `kill -9` would leave it.
#[test]
fn steady_tagging_reaches_the_disk_while_the_analyst_works() {
    let (mut harness, sample) = sample_harness();
    click_first_project(&mut harness);
    let tagged_on_disk = || -> usize {
        let path = sample.path().join(".policylens").join("annotations.json");
        let Ok(text) = std::fs::read_to_string(path) else {
            return 0;
        };
        let saved: policylens::annotate::Annotations =
            serde_json::from_str(&text).expect("a saved file parses");
        saved.items.values().filter(|n| !n.tags.is_empty()).count()
    };
    let rounds = 8;
    for _ in 0..rounds {
        harness.key_press(egui::Key::Num1);
        harness.key_press(egui::Key::ArrowDown);
        harness.run();
        std::thread::sleep(std::time::Duration::from_millis(350));
        harness.run();
    }
    // The writer thread may still be writing the last save handed to it.
    std::thread::sleep(std::time::Duration::from_millis(400));
    let on_disk = tagged_on_disk();
    // Everything tagged more than a second before the end is saved: at least 5 of 8
    // (the old timer, restarted by every change, saved none).
    assert!(
        on_disk >= 5,
        "{on_disk} of {rounds} tags on disk during steady work"
    );
}

/// Quit never discards changes that cannot be saved without asking (issue 13 §2, §7):
/// a second instance on a folder is read-only; the status bar says so instead of
/// "Saved", and File → Quit after tagging a row asks first.
#[test]
fn quitting_with_unsaved_changes_asks_first() {
    let sample = sample_copy();
    let other_instance = hold_as_another_instance(sample.path());
    let mut harness = harness_with_sample(sample.path());
    open(&mut harness, sample.path());
    harness.get_by_label_contains("· Read-only");
    click_first_project(&mut harness);
    harness.key_press(egui::Key::Num1);
    harness.run();
    click_menu_entry(&mut harness, MenuCommand::Quit);
    harness.run();
    harness.get_by_label("Unsaved annotations");
    harness.get_by_label("Keep PolicyLens open").click();
    harness.run();
    assert!(harness.query_by_label("Unsaved annotations").is_none());
    // Asked again on the next Quit, and quitting anyway is possible.
    click_menu_entry(&mut harness, MenuCommand::Quit);
    harness.get_by_label("Quit without saving").click();
    harness.run();
    assert!(harness.query_by_label("Unsaved annotations").is_none());
    drop(other_instance);
}

/// Leaving the window saves at once (issue 13 §1): a tag made just before the window
/// loses focus is on disk well before the autosave's pause would have elapsed.
#[test]
fn losing_focus_saves_at_once() {
    let (mut harness, sample) = sample_harness();
    click_first_project(&mut harness);
    harness.key_press(egui::Key::Num1);
    harness.run();
    harness
        .input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .focused = Some(false);
    harness.step();
    // The writer thread needs a moment; far less than the 800 ms pause.
    let path = sample.path().join(".policylens").join("annotations.json");
    let mut saved = false;
    for _ in 0..20 {
        std::thread::sleep(std::time::Duration::from_millis(10));
        if std::fs::read_to_string(&path).is_ok_and(|text| text.contains("\"tags\": [\n")) {
            saved = true;
            break;
        }
    }
    assert!(saved, "the tag was not saved when the window lost focus");
}

/// The accessible label of a menu entry: its label, then its keys when it has any (as
/// the menu shows them).
fn menu_entry_label(harness: &Harness<'static, PolicyLensApp>, entry: MenuCommand) -> String {
    let strings = harness.state().settings().language.strings();
    let state = MenuState {
        dark_mode: harness.state().settings().dark_mode,
        ..MenuState::default()
    };
    let label = entry.label(strings, &state);
    let keys = entry
        .shortcut()
        .map(|s| harness.ctx.format_shortcut(&s))
        .or_else(|| entry.builtin_keys().map(str::to_owned));
    match keys {
        Some(keys) => format!("{label} {keys}"),
        None => label.to_owned(),
    }
}

/// Opens the entry's menu by its label and clicks the entry by its label, as a person
/// does.
fn click_menu_entry(harness: &mut Harness<'static, PolicyLensApp>, entry: MenuCommand) {
    let strings = harness.state().settings().language.strings();
    harness.get_by_label(entry.menu().label(strings)).click();
    harness.run();
    let label = menu_entry_label(harness, entry);
    if entry.checked(&MenuState::default()).is_some() {
        // A setting shown as a check box (its label may also head a panel).
        harness
            .get_by_role_and_label(Role::CheckBox, &label)
            .click();
    } else {
        harness.get_by_label(&label).click();
    }
    harness.step();
    // Opening a folder loads it in the background, with a progress bar.
    if harness.state().is_loading() {
        harness.state_mut().wait_for_load();
        harness.step();
        harness.state_mut().wait_for_background();
    }
    harness.run();
}

/// Every command of the table is reachable from its menu by its label (issue 14: the
/// item export once had strings, a command and tests, but no menu entry). The exports
/// are followed to the file they write, in the format the file name asks for.
#[test]
fn every_menu_command_is_reached_by_its_label() {
    let (mut harness, sample) = sample_harness();
    let out = tempfile::tempdir().unwrap();
    let shown = out.path().join("shown.xlsx");
    let all = out.path().join("all.csv");
    let districts = out.path().join("districts.csv");
    let projects = out.path().join("projects.xlsx");
    let qdpx = out.path().join("project.qdpx");
    harness.state_mut().answer_dialogs_with(vec![
        None, // Open folder…: cancelled
        Some(shown.clone()),
        Some(all.clone()),
        Some(districts.clone()),
        Some(projects.clone()),
        Some(qdpx.clone()),
    ]);
    for &entry in MENU_COMMANDS {
        match entry {
            // Checked below, after everything else: they close the folder or the app.
            MenuCommand::CloseFolder | MenuCommand::Quit => continue,
            MenuCommand::RecentFolders => {
                let strings = harness.state().settings().language.strings();
                harness.get_by_label(strings.menu_file).click();
                harness.run();
                harness.get_by_label(strings.recent_folders).hover();
                harness.run();
                harness.key_press(egui::Key::Escape);
                harness.run();
                continue;
            }
            // Undo needs something to undo: tag a row first.
            MenuCommand::Undo => {
                click_first_project(&mut harness);
                harness.key_press(egui::Key::Num1);
                harness.run();
            }
            _ => {}
        }
        click_menu_entry(&mut harness, entry);
        if entry == MenuCommand::KeyboardShortcuts {
            break;
        }
        if entry == MenuCommand::ManageTags {
            // The tag manager opened; apply it unchanged so it covers no menu.
            harness.get_by_label("Apply").click();
            harness.run();
        }
        if entry == MenuCommand::Lexicon {
            harness.get_by_label("Lexicon of this folder");
            harness.get_by_label("Cancel").click();
            harness.run();
        }
        harness.key_press(egui::Key::Escape);
        harness.run();
        harness.state_mut().wait_for_background();
        harness.run();
    }
    // Help → Keyboard shortcuts (open until Esc) lists the keys that are not menu
    // commands too.
    harness.get_by_label("Toggle tag 1–9 on the selected rows");
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(
        harness
            .query_by_label("Toggle tag 1–9 on the selected rows")
            .is_none()
    );
    for (path, zip) in [
        (&shown, true),
        (&all, false),
        (&districts, false),
        (&projects, true),
        (&qdpx, true),
    ] {
        let bytes = std::fs::read(path).unwrap_or_else(|_| panic!("{} written", path.display()));
        assert_eq!(
            bytes.starts_with(b"PK"),
            zip,
            "{}: format follows the name",
            path.display()
        );
    }
    let all_rows = std::fs::read_to_string(&all).unwrap().lines().count();
    assert!(all_rows > 300, "all items exported: {all_rows} lines");
    click_menu_entry(&mut harness, MenuCommand::CloseFolder);
    assert!(harness.state().workspace().is_none());
    drop(sample);
}

/// The filter bar hands its changes to the app, which owns the filter (issue 14), and
/// *Clear filters* clears the tag filter too (it stayed set).
#[test]
fn the_tag_filter_is_set_and_cleared_through_the_filter_bar() {
    let (mut harness, _sample) = sample_harness();
    harness.get_by_role_and_label(Role::ComboBox, "Tag").click();
    harness.run();
    harness.get_by_label("重点 Key").click();
    harness.run();
    assert!(harness.state().items_filter().tag.is_some());
    harness
        .get_by_role_and_label(Role::Button, "Clear filters")
        .click();
    harness.run();
    assert_eq!(harness.state().items_filter().tag, None);
    assert!(harness.query_by_label("Clear filters").is_none());
}

/// Digits reach the tags only while the rows have them (issue 15 §11: a click that
/// missed the Amount field turned `12.5` into tags), and every tag change is said.
#[test]
fn tag_keys_belong_to_the_rows_and_every_change_is_said() {
    let (mut harness, _sample) = sample_harness();
    let (item, _) = click_first_project(&mut harness);
    harness.key_press(egui::Key::Num1);
    harness.run();
    harness.get_by_label_contains("Tagged 1 item(s): 重点");
    let tags_of = |harness: &Harness<'static, PolicyLensApp>| {
        harness
            .state()
            .review()
            .unwrap()
            .note_of(item)
            .map(|n| n.tags.len())
            .unwrap_or(0)
    };
    assert_eq!(tags_of(&harness), 1);
    // A click beside the fields (on the Review heading) takes the keys from the rows.
    harness.get_by_label("Review").click();
    harness.run();
    harness.key_press(egui::Key::Num2);
    harness.run();
    assert_eq!(
        tags_of(&harness),
        1,
        "a digit after a stray click tagged the row"
    );
}

/// Whenever a filter hides rows the table says so, with how many rows it shows of how
/// many and which filters hide the rest (issue 15 §5: with only *Officials* left on, a
/// folder's charts looked empty and nothing said why); × clears them all.
#[test]
fn hidden_rows_are_always_explained() {
    let (mut harness, _sample) = sample_harness();
    assert!(harness.query_by_label_contains("· filters:").is_none());
    let all = every_item_label(&harness);
    // Hide officials by their kind toggle, and tick "Confidence below".
    harness
        .get_by_role_and_label(Role::Button, "Officials")
        .click();
    harness.run();
    harness.get_by_label("Confidence below").click();
    harness.run();
    let shown = harness.state().shown_items().len();
    let total: usize = all
        .trim_start_matches("Items (")
        .trim_end_matches(')')
        .parse()
        .unwrap();
    harness.get_by_label(&format!(
        "Shown {shown} of {total} · filters: confidence, kind"
    ));
    harness.get_by_label("×").click();
    harness.run();
    assert!(harness.query_by_label_contains("· filters:").is_none());
    harness.get_by_label(&all);
}

/// A corrected amount shows in the table's Amount column, in place of the extracted one
/// (issue 15 §6: the chart used it, the table did not).
#[test]
fn a_corrected_amount_shows_in_the_table() {
    let (mut harness, _sample) = sample_harness();
    let (item, _) = click_first_project(&mut harness);
    let extracted = harness.state().workspace().unwrap().items[item]
        .investment
        .clone();
    assert!(harness.query_by_label("12.5亿元").is_none());
    harness.get_by_label("Amount (亿元)").click();
    harness.run();
    harness.get_by_label("Amount (亿元)").type_text("12.5");
    harness.key_press(egui::Key::Enter);
    harness.run();
    let note = harness.state().review().unwrap().note_of(item).cloned();
    assert_eq!(note.and_then(|n| n.amount_yuan), Some(12.5e8));
    harness.get_by_label("12.5亿元");
    // The extraction stays in the table only as the cell's tooltip.
    if let Some(extracted) = extracted {
        assert!(
            harness.query_all_by_label(&extracted).count() <= 1,
            "the extracted amount still shows as a cell beside the correction"
        );
    }
}

/// Tables and pickers name documents by their titles, not their hashed file names (issue
/// 15 §7); the file name is in the tooltip.
#[test]
fn documents_are_named_by_their_titles() {
    let (mut harness, _sample) = sample_harness();
    let (file, title) = {
        let workspace = harness.state().workspace().unwrap();
        let document = &workspace.documents[2];
        (document.file.clone(), document.title.clone())
    };
    assert_eq!(title, "蓝佛安在晋城调研时强调");
    harness
        .get_by_role_and_label(Role::ComboBox, "Document")
        .click();
    harness.run();
    harness
        .get_all_by_label(&title)
        .last()
        .expect("the document picker lists the title")
        .click();
    harness.run();
    assert_eq!(
        harness.state().settings().item_filter.document.as_deref(),
        Some(file.as_str())
    );
    let rows = harness.state().shown_items().len();
    assert!(rows > 0);
    // Every shown row's Document cell reads the title (the table draws the rows in
    // view, a dozen or more); none reads the file name.
    assert!(harness.query_all_by_label(&title).count() > 12.min(rows));
    assert_eq!(harness.query_all_by_label(&file).count(), 0);
}

/// A folder whose articles write no year (issue 15 §8): the Districts tab's first and
/// last dates come from the months and days the articles write, labelled plainly.
#[test]
fn dates_without_years_are_shown_and_say_so() {
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(
        folder.path().join("a.txt"),
        "清徐县召开项目推进会\n\n1月5日，清徐县召开重点项目推进会，部署文源路汾河大桥建设。\n",
    )
    .unwrap();
    std::fs::write(
        folder.path().join("b.txt"),
        "清徐县开工\n\n3月2日，清徐县清源水城项目开工，总投资8.16亿元。\n",
    )
    .unwrap();
    let mut harness = harness_with_sample(folder.path());
    open(&mut harness, folder.path());
    harness.get_by_label("Districts").click();
    harness.run();
    harness.get_by_label("1月5日 (year unknown)");
    harness.get_by_label("3月2日 (year unknown)");
    // No raw normalised form (`--01-05`) reaches the analyst.
    assert!(harness.query_by_label_contains("--0").is_none());
}

/// Kind toggles and sort orders belong to the folder they were set in (issue 15 §5):
/// another folder opens with its own view, and the first gets its view back.
#[test]
fn each_folder_opens_with_its_own_view() {
    let (mut harness, first) = sample_harness();
    let officials_shown = |harness: &Harness<'static, PolicyLensApp>| {
        !harness
            .state()
            .settings()
            .item_filter
            .hidden_kinds
            .contains(&ItemKind::Official)
    };
    harness
        .get_by_role_and_label(Role::Button, "Officials")
        .click();
    harness.run();
    harness
        .get_by_role_and_label(Role::Button, "Amount")
        .click();
    harness.run();
    assert!(!officials_shown(&harness));
    let second = sample_copy();
    open(&mut harness, second.path());
    assert!(
        officials_shown(&harness),
        "the hidden kind followed into another folder"
    );
    assert!(harness.query_by_label_contains("· filters:").is_none());
    harness.get_by_role_and_label(Role::Button, "Amount");
    open(&mut harness, first.path());
    assert!(!officials_shown(&harness), "the folder lost its view");
    harness.get_by_role_and_label(Role::Button, "Amount ▲");
    harness.get_by_label_contains("· filters: kind");
}

/// The store's notices speak the analyst's language (issue 15 §13): the second-instance
/// warning reads in Chinese in the Chinese UI, with nothing left in English.
#[test]
fn the_second_instance_warning_is_translated() {
    let sample = sample_copy();
    let other_instance = hold_as_another_instance(sample.path());
    let mut harness = chinese_harness(sample.path());
    open(&mut harness, sample.path());
    harness.get_by_label_contains("另一个 PolicyLens（进程");
    harness.get_by_label_contains("）已打开此文件夹；此处标注为只读，以免两者互相覆盖");
    assert!(
        harness
            .query_by_label_contains("another PolicyLens")
            .is_none()
    );
    drop(other_instance);
}

fn chinese_harness(sample: &Path) -> Harness<'static, PolicyLensApp> {
    let settings = Settings {
        language: policylens::ui::i18n::Language::Chinese,
        ..Settings::default()
    };
    Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .with_context_setup(setup_context)
        .build_ui_state(
            |ui, app: &mut PolicyLensApp| app.ui_root(ui),
            PolicyLensApp::with_settings(settings).with_sample_folder(sample.to_path_buf()),
        )
}

/// A folder that cannot be opened is said in the analyst's language, the OS's own words
/// once (issue 15 §13: `无法打开: … No such file or directory (os error 2)` twice).
#[test]
fn a_folder_that_cannot_open_is_said_in_chinese_once() {
    let sample = sample_copy();
    let gone = sample.path().join("不存在");
    let mut harness = chinese_harness(sample.path());
    harness.run();
    harness
        .state_mut()
        .answer_dialogs_with(vec![Some(gone.clone())]);
    let strings = harness.state().settings().language.strings();
    harness
        .get_by_label(MenuCommand::OpenFolder.menu().label(strings))
        .click();
    harness.run();
    let label = menu_entry_label(&harness, MenuCommand::OpenFolder);
    harness.get_by_label(&label).click();
    // The failed load's progress view animates until the job's result is taken.
    for _ in 0..3 {
        harness.step();
    }
    harness.state_mut().wait_for_load();
    harness.run();
    // A label's text is its accessibility value.
    let message = harness
        .get_by_label_contains("无法打开")
        .accesskit_node()
        .value()
        .unwrap_or_default();
    assert!(
        message.contains("无法读取文件夹（") && message.contains(&gone.display().to_string()),
        "{message}"
    );
    assert!(!message.contains("cannot read folder"), "{message}");
    let os = std::io::Error::from(std::io::ErrorKind::NotFound).to_string();
    let os_words = message
        .split(['（', '）'])
        .nth(1)
        .expect("the OS's words in brackets")
        .to_owned();
    assert_eq!(message.matches(&os_words).count(), 1, "{message} ({os})");
}

/// Dragging across text selects exactly the dragged characters, and the article does
/// not move while the drag goes on (issue 15 §4: the *Add as* bar pushed the text down
/// mid-drag, the first character was lost, a drag across 东方航空 selected 空B).
#[test]
fn dragging_across_text_selects_exactly_those_characters() {
    let (mut harness, _sample) = sample_harness();
    let (item, text) = click_first_project(&mut harness);
    harness.run();
    let (document, start, end) = {
        let app = harness.state();
        let workspace = app.workspace().unwrap();
        let document = workspace.document_of_item[item] as usize;
        let item = &workspace.items[item];
        (document, item.start, item.end)
    };
    let boundary = |harness: &Harness<'static, PolicyLensApp>, index: usize| {
        harness
            .state()
            .source_view()
            .boundary_on_screen(index)
            .expect("the article is drawn")
    };
    // Just inside the first character's left edge and the last one's right edge.
    let from = boundary(&harness, start) + egui::vec2(2.0, 0.0);
    let to = boundary(&harness, end) - egui::vec2(2.0, 0.0);
    harness.hover_at(from);
    harness.run();
    harness.drag_at(from);
    harness.run();
    for step in 1..=4 {
        let at = from + (to - from) * (step as f32 / 4.0);
        harness.hover_at(at);
        harness.run();
        assert_eq!(
            boundary(&harness, start),
            from - egui::vec2(2.0, 0.0),
            "the article moved during the drag"
        );
        assert!(
            harness.query_by_label("Add as:").is_none(),
            "the Add as bar appeared mid-drag"
        );
    }
    harness.drop_at(to);
    harness.run();
    assert_eq!(
        harness.state().source_view().text_selection(),
        Some((document, start..end)),
        "selected something other than «{text}»"
    );
    harness.get_by_label("Add as:");
    // The selection in the bar, beside the selected row's own line.
    assert_eq!(harness.query_all_by_label(&format!("«{text}»")).count(), 2);
}

/// The analyst chooses the items table's columns from a header's right-click menu, and
/// the choice is kept (issue 15 §10).
#[test]
fn columns_are_hidden_and_shown_from_the_header_menu() {
    let (mut harness, _sample) = sample_harness();
    assert!(
        harness
            .query_by_role_and_label(Role::Button, "Capacity")
            .is_none()
    );
    harness
        .get_by_role_and_label(Role::Button, "Amount")
        .click_secondary();
    harness.run();
    harness.get_by_label("Columns shown");
    harness
        .get_by_role_and_label(Role::CheckBox, "Capacity")
        .click();
    harness.run();
    harness.key_press(egui::Key::Escape);
    harness.run();
    harness.get_by_role_and_label(Role::Button, "Capacity");
    // Hide Note the same way.
    harness
        .get_by_role_and_label(Role::Button, "Amount")
        .click_secondary();
    harness.run();
    harness
        .get_by_role_and_label(Role::CheckBox, "Note")
        .click();
    harness.run();
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(
        harness
            .query_by_role_and_label(Role::Button, "Note")
            .is_none()
    );
    let hidden = &harness.state().settings().hidden_item_columns;
    assert!(hidden.contains(&policylens::table::ItemColumn::Note));
    assert!(!hidden.contains(&policylens::table::ItemColumn::Capacity));
}

/// Hovering an investment bar lists the district's projects with their amounts (issue
/// 15 §9: the README promised it, nothing showed).
#[test]
fn hovering_an_investment_bar_lists_its_projects() {
    let (mut harness, _sample) = sample_harness();
    show_chart(&mut harness, "Investment by district");
    let (district, bar) = harness.state().charts().bar_targets[0].clone();
    assert_eq!(district, "古交市");
    assert!(
        harness
            .query_by_label_contains("光伏产业龙头项目")
            .is_none()
    );
    harness.hover_at(bar);
    harness.run();
    harness.hover_at(bar + egui::vec2(1.0, 0.0));
    harness.run();
    assert_eq!(harness.state().charts().hovered.as_deref(), Some("古交市"));
    harness.get_by_label_contains("· 光伏产业龙头项目  140.00");
}

/// Without xdg-desktop-portal or zenity no system dialog can be shown (issue 15 §12):
/// the app says so and offers its own chooser, where a typed path completes on Tab and
/// Enter opens the folder.
#[test]
fn without_a_system_dialog_the_app_offers_its_own_chooser() {
    let (mut harness, _sample) = sample_harness();
    let parent = tempfile::tempdir().unwrap();
    let second = parent.path().join("新闻稿-2024");
    std::fs::create_dir(&second).unwrap();
    common::copy_sample_articles(&second);
    harness.state_mut().without_system_dialogs();
    click_menu_entry(&mut harness, MenuCommand::OpenFolder);
    harness.get_by_label_contains("No system file dialog is available");
    harness.get_by_label("Path").click();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_label("Path")
        .type_text(&format!("{}/新闻", parent.path().display()));
    harness.run();
    harness.key_press(egui::Key::Tab);
    harness.run();
    let completed = harness
        .get_by_label("Path")
        .accesskit_node()
        .value()
        .unwrap_or_default();
    assert_eq!(completed, format!("{}/", second.display()));
    harness.key_press(egui::Key::Enter);
    harness.step();
    harness.state_mut().wait_for_load();
    harness.step();
    harness.state_mut().wait_for_background();
    harness.run();
    assert_eq!(harness.state().workspace().unwrap().folder, second);
    assert!(
        harness.query_by_label("Path").is_none(),
        "the chooser closed"
    );
    // Saving an export the same way: the chooser suggests the file name in the folder.
    click_menu_entry(&mut harness, MenuCommand::ExportShownItems);
    let suggested = harness
        .get_by_label("Path")
        .accesskit_node()
        .value()
        .unwrap_or_default();
    assert_eq!(suggested, format!("{}/notes.csv", second.display()));
    harness.get_by_label("Save").click();
    // The export lands in the watched folder, whose watcher may ask for a late frame.
    settle(&mut harness);
    let written = std::fs::read_to_string(second.join("notes.csv")).unwrap();
    assert!(written.lines().count() > 10, "{written}");
}

/// The table's own Export button writes the shown rows, as the menu entry does.
#[test]
fn the_items_table_exports_from_its_own_button() {
    let (mut harness, sample) = sample_harness();
    let out = sample.path().join("shown.xlsx");
    harness
        .state_mut()
        .answer_dialogs_with(vec![Some(out.clone())]);
    harness
        .get_by_role_and_label(Role::Button, "Officials")
        .click();
    harness.run();
    harness
        .get_by_role_and_label(Role::Button, "Export shown items…")
        .click();
    harness.run();
    harness.run();
    let bytes = std::fs::read(&out).expect("the export was written");
    assert!(bytes.starts_with(b"PK"), "an XLSX workbook is a zip");
}

/// After a lexicon change: the frame that sends it, the background pass, and the jobs
/// the new items start (themes, sort ranks), then the frames to rest.
fn settle_after_lexicon_change(harness: &mut Harness<'static, PolicyLensApp>) {
    harness.step();
    harness.state_mut().wait_for_folder_refresh();
    harness.step();
    harness.state_mut().wait_for_background();
    harness.run_steps(8);
}

/// Rules from one correction (issue 16 §2): *Never extract* from a row's right-click
/// menu removes every item with that text in every document, keeps the rule in the
/// folder's lexicon, survives a restart, and Undo takes it back.
#[test]
fn never_extract_removes_every_occurrence_and_survives_a_restart() {
    let folder = sample_copy();
    let dev = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/dev");
    for name in ["cctv_20220608_02.txt", "cctv_20220627_10.txt"] {
        std::fs::copy(dev.join(name), folder.path().join(name)).unwrap();
    }
    let mut harness = harness_with_sample(folder.path());
    open(&mut harness, folder.path());
    let (_, text) = click_first_project(&mut harness);
    let count = |harness: &Harness<'static, PolicyLensApp>| {
        harness
            .state()
            .workspace()
            .unwrap()
            .items
            .iter()
            .filter(|i| i.kind == ItemKind::Project && i.text == text)
            .count()
    };
    let before = count(&harness);
    assert!(before >= 1);
    let never = format!("Never extract “{text}” as Project");
    open_row_menu(&mut harness, &text);
    harness.get_by_label(&never).click();
    settle_after_lexicon_change(&mut harness);
    assert_eq!(count(&harness), 0, "every «{text}» is gone");
    // The banner says what the rule changed.
    let files = harness.state().folder_notice().map(|notice| match notice {
        FolderNotice::Lexicon(change) => change.files.len(),
        other => panic!("{other:?}"),
    });
    let files = files.expect("a banner after the lexicon change");
    harness.get_by_label("Lexicon applied:");
    harness.get_by_label(&format!(
        "“{text}”: {before} item(s) removed, 0 added in {files} file(s)"
    ));
    let lexicon = folder.path().join(".policylens/lexicon.tsv");
    let saved = std::fs::read_to_string(&lexicon).unwrap();
    assert!(
        saved.contains(&format!("project\t{text}\tnever")),
        "{saved}"
    );
    // Undo takes the rule back, and the items with it.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    settle_after_lexicon_change(&mut harness);
    assert_eq!(count(&harness), before);
    assert!(!std::fs::read_to_string(&lexicon).unwrap().contains(&text));
    harness.get_by_label(&format!(
        "“{text}”: 0 item(s) removed, {before} added in {files} file(s)"
    ));
    // Redo makes it again; it outlives the app.
    click_menu_entry(&mut harness, MenuCommand::Redo);
    settle_after_lexicon_change(&mut harness);
    assert_eq!(count(&harness), 0, "redone");
    assert!(std::fs::read_to_string(&lexicon).unwrap().contains(&text));
    drop(harness);
    let mut restarted = harness_with_sample(folder.path());
    open(&mut restarted, folder.path());
    assert_eq!(count(&restarted), 0, "back after a restart");
}

/// *Reject every* from a row's menu rejects each item with that text, in one undo step.
#[test]
fn reject_every_rejects_each_item_with_that_text_in_one_step() {
    let (mut harness, _sample) = sample_harness();
    // The first row's text: a district named in several documents (`清徐`).
    let text = {
        let app = harness.state();
        let first = app.shown_items()[0] as usize;
        app.workspace().unwrap().items[first].text.clone()
    };
    let text = text.as_str();
    let matching = |harness: &Harness<'static, PolicyLensApp>| -> Vec<usize> {
        let app = harness.state();
        let workspace = app.workspace().unwrap();
        workspace
            .items
            .iter()
            .enumerate()
            .filter(|(_, i)| i.kind == ItemKind::District && i.text == text)
            .map(|(index, _)| index)
            .collect()
    };
    let rejected = |harness: &Harness<'static, PolicyLensApp>| {
        let review = harness.state().review().unwrap();
        matching(harness)
            .into_iter()
            .filter(|&i| review.note_of(i).is_some_and(|n| n.rejected))
            .count()
    };
    let all = matching(&harness).len();
    assert!(all > 3);
    open_row_menu(&mut harness, text);
    harness
        .get_by_label(&format!("Reject every “{text}” (District) in this folder"))
        .click();
    harness.run_steps(8);
    assert_eq!(rejected(&harness), all);
    harness.get_by_label_contains(&format!("Rejected {all} item(s) “{text}”"));
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run();
    assert_eq!(rejected(&harness), 0, "one undo takes them all back");
}

/// *Always extract* on a manual item (issue 16 §2): the text becomes an item wherever it
/// occurs, in the district the analyst gave the manual item.
#[test]
fn always_extract_finds_the_text_in_other_documents_with_its_district() {
    let (mut harness, sample) = sample_harness();
    let ctx = harness.ctx.clone();
    let text = "新能源";
    let (document, start) = {
        let workspace = harness.state().workspace().unwrap();
        let chars: Vec<char> = workspace.documents[0].text.chars().collect();
        let needle: Vec<char> = text.chars().collect();
        let start = chars
            .windows(3)
            .position(|w| w == needle.as_slice())
            .unwrap();
        (0, start)
    };
    let count = |harness: &Harness<'static, PolicyLensApp>| {
        let workspace = harness.state().workspace().unwrap();
        workspace
            .items
            .iter()
            .filter(|i| {
                i.kind == ItemKind::Project
                    && i.text == text
                    && i.district.as_deref() == Some("阳曲县")
            })
            .map(|i| i.file.clone())
            .collect::<std::collections::BTreeSet<_>>()
    };
    assert!(count(&harness).is_empty());
    // The analyst's manual item, placed in 阳曲县 (set up as the source view and the
    // review panel would; those paths have tests of their own).
    harness.state_mut().apply(
        &ctx,
        Command::AddManualItem {
            document,
            start,
            end: start + 3,
            kind: ItemKind::Project,
        },
    );
    harness.run();
    let manual = harness.state().selection().item.unwrap();
    harness.state_mut().apply(
        &ctx,
        Command::CorrectDistrict {
            item: manual,
            district: Some("阳曲县".to_owned()),
        },
    );
    harness.run();
    open_row_menu(&mut harness, text);
    // The row's menu and the review panel (the manual item is selected) both offer it.
    harness
        .get_all_by_label(&format!("Always extract “{text}” as Project"))
        .last()
        .unwrap()
        .click();
    settle_after_lexicon_change(&mut harness);
    let files = count(&harness);
    assert!(files.len() >= 3, "found in {files:?}");
    let saved = std::fs::read_to_string(sample.path().join(".policylens/lexicon.tsv")).unwrap();
    assert!(
        saved.contains(&format!("project\t{text}\talways\t阳曲县")),
        "{saved}"
    );
}

/// The review queue with keys only (issue 16 §1): accept three, reject two; the status
/// bar's progress and the exported `review` column agree.
#[test]
fn the_review_queue_is_worked_with_keys_alone() {
    let (mut harness, sample) = sample_harness();
    let total = {
        let app = harness.state();
        let workspace = app.workspace().unwrap();
        workspace
            .items
            .iter()
            .filter(|i| i.kind != ItemKind::City)
            .count()
    };
    harness.get_by_label(&format!("Reviewed 0 / {total}"));
    harness.get_by_label("Review queue").click();
    harness.run();
    // Least certain first.
    let queue: Vec<f32> = {
        let app = harness.state();
        let items = &app.workspace().unwrap().items;
        app.shown_items()
            .iter()
            .map(|&i| items[i as usize].confidence.unwrap_or(1.0))
            .collect()
    };
    assert!(queue.windows(2).all(|w| w[0] <= w[1]), "{queue:?}");
    let first_five: Vec<u32> = harness.state().shown_items()[..5].to_vec();
    harness.key_press(egui::Key::J);
    harness.run();
    for key in [
        egui::Key::A,
        egui::Key::Enter,
        egui::Key::A,
        egui::Key::X,
        egui::Key::Delete,
    ] {
        harness.key_press(key);
        harness.run();
    }
    harness.get_by_label(&format!("Reviewed 5 / {total}"));
    let review = harness.state().review().unwrap();
    let states: Vec<(bool, bool)> = first_five
        .iter()
        .map(|&i| {
            let note = review.note_of(i as usize).expect("judged");
            (note.accepted, note.rejected)
        })
        .collect();
    assert_eq!(
        states,
        [
            (true, false),
            (true, false),
            (true, false),
            (false, true),
            (false, true)
        ]
    );
    // The queue no longer shows them.
    assert!(
        first_five
            .iter()
            .all(|i| !harness.state().shown_items().contains(i))
    );
    let out = sample.path().join("all.csv");
    harness
        .state_mut()
        .answer_dialogs_with(vec![Some(out.clone())]);
    click_menu_entry(&mut harness, MenuCommand::ExportAllItems);
    let reviews = export_column(&out, "review");
    let count = |what: &str| reviews.iter().filter(|r| *r == what).count();
    assert_eq!((count("accepted"), count("rejected")), (3, 2));
}

/// *Edit → Lexicon…* (issue 16 §3): a list of tracked projects imported from CSV becomes
/// `always` entries; Apply saves them to the folder's lexicon and the projects appear in
/// every document that names them; an entry deleted in the window is gone from the file.
#[test]
fn a_project_list_is_imported_through_the_lexicon_window() {
    let (mut harness, sample) = sample_harness();
    // The list lives outside the open folder, as an analyst's would: a file written into
    // the folder is a change the folder watcher settles on a timer, and the frames would
    // not come to rest.
    let elsewhere = tempfile::tempdir().unwrap();
    let list = elsewhere.path().join("tracked.csv");
    std::fs::write(
        &list,
        "名称,区县,备注\n新能源,清徐县,跟踪\n不存在的项目,,\n",
    )
    .unwrap();
    harness
        .state_mut()
        .answer_dialogs_with(vec![Some(list.clone())]);
    click_menu_entry(&mut harness, MenuCommand::Lexicon);
    harness.get_by_label("Lexicon of this folder");
    harness.get_by_label("Import projects…").click();
    harness.run();
    harness.get_by_label_contains("2 name(s) read from");
    harness.get_by_label("Apply").click();
    settle_after_lexicon_change(&mut harness);
    let saved = std::fs::read_to_string(sample.path().join(".policylens/lexicon.tsv")).unwrap();
    assert!(
        saved.contains("project\t新能源\talways\t清徐县\t跟踪"),
        "{saved}"
    );
    let files: std::collections::BTreeSet<String> = harness
        .state()
        .workspace()
        .unwrap()
        .items
        .iter()
        .filter(|i| i.kind == ItemKind::Project && i.text == "新能源")
        .map(|i| i.file.clone())
        .collect();
    // 000 names it inside a longer project it already has; the other two gain it.
    assert_eq!(
        files.iter().map(|f| &f[..3]).collect::<Vec<_>>(),
        ["001", "002"],
        "{files:?}"
    );
    // Deleting an entry in the window takes it out of the file.
    click_menu_entry(&mut harness, MenuCommand::Lexicon);
    harness.get_by_label_contains("2 entries");
    harness.get_all_by_label("Delete").last().unwrap().click();
    harness.run();
    harness.get_by_label("Apply").click();
    settle_after_lexicon_change(&mut harness);
    let saved = std::fs::read_to_string(sample.path().join(".policylens/lexicon.tsv")).unwrap();
    assert!(!saved.contains("不存在的项目"), "{saved}");
}

/// The user's own lexicon (*Every folder (mine)*) applies to every folder opened, not
/// only to the one it was edited in (issue 16 §3).
#[test]
fn the_users_lexicon_applies_to_every_folder() {
    let user = tempfile::tempdir().unwrap();
    let user_lexicon = user.path().join("lexicon.tsv");
    let first = sample_copy();
    let second = sample_copy();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .with_context_setup(setup_context)
        .build_ui_state(
            |ui, app: &mut PolicyLensApp| app.ui_root(ui),
            PolicyLensApp::with_settings(Settings::default())
                .with_user_lexicon(Some(user_lexicon.clone())),
        );
    open(&mut harness, first.path());
    let (_, text) = click_first_project(&mut harness);
    let projects = |harness: &Harness<'static, PolicyLensApp>| {
        let app = harness.state();
        let items = &app.workspace().unwrap().items;
        items
            .iter()
            .filter(|i| i.kind == ItemKind::Project && i.text == text)
            .count()
    };
    assert!(projects(&harness) > 0);
    let list = user.path().join("not-projects.csv");
    std::fs::write(&list, format!("kind,text,action\nproject,{text},never\n")).unwrap();
    harness
        .state_mut()
        .answer_dialogs_with(vec![Some(list.clone())]);
    click_menu_entry(&mut harness, MenuCommand::Lexicon);
    harness.get_by_label("Every folder (mine)").click();
    harness.run();
    harness.get_by_label("Import projects…").click();
    harness.run();
    harness.get_by_label("Apply").click();
    settle_after_lexicon_change(&mut harness);
    let saved = std::fs::read_to_string(&user_lexicon).unwrap();
    assert!(
        saved.contains(&format!("project\t{text}\tnever")),
        "{saved}"
    );
    assert!(!first.path().join(".policylens/lexicon.tsv").exists());
    assert_eq!(projects(&harness), 0);
    // Another folder never edited: the user's lexicon applies there too.
    open(&mut harness, second.path());
    assert_eq!(
        projects(&harness),
        0,
        "the user's lexicon follows the analyst"
    );
}

/// Rejecting an item in the review panel offers the rules there too (issue 16 §2).
#[test]
fn rejecting_in_the_review_panel_offers_never_extract() {
    let (mut harness, sample) = sample_harness();
    let (_, text) = click_first_project(&mut harness);
    let never = format!("Never extract “{text}” as Project");
    assert!(harness.query_by_label(&never).is_none());
    harness
        .get_by_role_and_label(Role::CheckBox, "Wrong (rejected)")
        .click();
    harness.run();
    harness.get_by_label(&never).click();
    settle_after_lexicon_change(&mut harness);
    let left = harness
        .state()
        .workspace()
        .unwrap()
        .items
        .iter()
        .filter(|i| i.kind == ItemKind::Project && i.text == text)
        .count();
    assert_eq!(left, 0);
    let saved = std::fs::read_to_string(sample.path().join(".policylens/lexicon.tsv")).unwrap();
    assert!(
        saved.contains(&format!("project\t{text}\tnever")),
        "{saved}"
    );
}

/// Holds `folder` as another PolicyLens would: an OS lock on its lock file, from another
/// open file description (as another process would have). The lock lasts while the file
/// returned is open.
fn hold_as_another_instance(folder: &Path) -> std::fs::File {
    let data = folder.join(".policylens");
    std::fs::create_dir_all(&data).unwrap();
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(data.join("lock"))
        .unwrap();
    lock.try_lock().unwrap();
    lock
}

/// Opens the Charts tab on the chart with this label.
fn show_chart(harness: &mut Harness<'static, PolicyLensApp>, chart: &str) {
    harness.get_by_label("Charts").click();
    harness.run();
    harness.get_by_role_and_label(Role::Button, chart).click();
    harness.run();
}

/// Opens the right-click menu of the first row showing `text`.
fn open_row_menu(harness: &mut Harness<'static, PolicyLensApp>, text: &str) {
    harness
        .get_all_by_label(text)
        .next()
        .unwrap()
        .click_secondary();
    harness.run();
}

/// Full-text search (issue 17 §1) the way a person uses it: Ctrl+Shift+F, type a query,
/// read the count, click a match; the article opens there with every match highlighted
/// and the clicked one current; F3 and Shift+F3 step; a match's menu adds it as an item.
#[test]
fn the_articles_are_searched_and_a_match_opens_highlighted() {
    let (mut harness, _sample) = sample_harness();
    harness.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::F,
    );
    harness.run();
    assert_eq!(
        harness.state().settings().tab,
        policylens::ui::state::Tab::Search
    );
    let field = harness.get_by_label("Search the articles' text");
    assert!(
        field.is_focused(),
        "Ctrl+Shift+F puts the keyboard in the query field"
    );
    field.type_text("总投资");
    settle_search(&mut harness);
    // The expected matches, counted from the texts themselves.
    let (expected, documents_with) = {
        let workspace = harness.state().workspace().unwrap();
        let per_document: Vec<usize> = workspace
            .documents
            .iter()
            .map(|d| d.text.matches("总投资").count())
            .collect();
        let total: usize = per_document.iter().sum();
        (total, per_document.iter().filter(|&&n| n > 0).count())
    };
    assert!(expected >= 3);
    harness.get_by_label(&format!(
        "{expected} match(es) in {documents_with} document(s)"
    ));
    // Click the second match by what the list shows of it.
    let second = harness.state().search().results.matches[1].clone();
    let shown = {
        let workspace = harness.state().workspace().unwrap();
        let text = &workspace.documents[second.document].text;
        let (before, hit, after) = policylens::search::in_context(text, second.bytes.clone(), 30);
        format!("{before}{hit}{after}")
    };
    harness.get_all_by_label(&shown).next().unwrap().click();
    harness.run();
    assert_eq!(harness.state().selection().document, Some(second.document));
    let source = harness.state().source_view();
    assert_eq!(
        source.current_search_match(),
        Some((second.document, second.chars.clone()))
    );
    let in_document = harness
        .state()
        .search()
        .results
        .in_document(second.document)
        .len();
    assert_eq!(
        source.search_marks(),
        in_document,
        "every match of the article is highlighted"
    );
    let chars: Vec<char> = harness.state().workspace().unwrap().documents[second.document]
        .text
        .chars()
        .collect();
    let highlighted: String = chars[second.chars.clone()].iter().collect();
    assert_eq!(highlighted, "总投资");
    // F3 steps on, Shift+F3 back.
    harness.key_press(egui::Key::F3);
    harness.run();
    assert_eq!(harness.state().search().current, Some(2));
    harness.key_press_modifiers(egui::Modifiers::SHIFT, egui::Key::F3);
    harness.run();
    assert_eq!(harness.state().search().current, Some(1));
    // Right-click the match: Add as project.
    let manual_before = manual_items(&harness);
    harness
        .get_all_by_label(&shown)
        .next()
        .unwrap()
        .click_secondary();
    harness.run();
    harness
        .get_by_role_and_label(Role::Button, "Project")
        .click();
    harness.run();
    let manual = manual_items(&harness);
    assert_eq!(manual.len(), manual_before.len() + 1);
    assert!(manual.iter().any(|(file, text, start)| {
        *text == "总投资" && *start == second.chars.start && {
            let workspace = harness.state().workspace().unwrap();
            workspace.documents[second.document].file == *file
        }
    }));
}

/// A bad regular expression is said, not searched; a plain query with regex characters
/// means them literally.
#[test]
fn a_bad_regular_expression_is_said_and_nothing_breaks() {
    let (mut harness, _sample) = sample_harness();
    click_menu_entry(&mut harness, MenuCommand::SearchArticles);
    harness.get_by_label("Regular expression").click();
    harness.run();
    harness.get_by_label("Search the articles' text").click();
    harness.run();
    harness
        .get_by_label("Search the articles' text")
        .type_text("(亿元");
    settle_search(&mut harness);
    harness.get_by_label_contains("Not a regular expression:");
    assert!(harness.state().search().results.matches.is_empty());
    harness.get_by_label("Regular expression").click();
    settle_search(&mut harness);
    harness.get_by_label_contains("0 match(es) in 0 document(s)");
}

/// The district filter of the items table's filter bar.
fn filter_district_picker<'a>(
    harness: &'a Harness<'static, PolicyLensApp>,
) -> egui_kittest::Node<'a> {
    harness
        .get_all_by_role_and_label(Role::ComboBox, "District")
        .find(|n| {
            let value = n.accesskit_node().value();
            value.is_none_or(|v| !v.starts_with("as extracted"))
        })
        .unwrap()
}

/// Lets a query typed or changed start its search, waits for it, and settles.
fn settle_search(harness: &mut Harness<'static, PolicyLensApp>) {
    harness.step();
    harness.step();
    harness.state_mut().wait_for_search();
    harness.run();
}

/// The manual items: file, text and first character.
fn manual_items(harness: &Harness<'static, PolicyLensApp>) -> Vec<(String, String, usize)> {
    let review = harness.state().review().unwrap();
    review
        .annotations
        .items
        .values()
        .filter(|n| n.manual)
        .map(|n| (n.anchor.file.clone(), n.anchor.text.clone(), n.anchor.start))
        .collect()
}

/// Help (issue 17 §6): *Help → About* names the version and where the work is kept,
/// F1 lists the shortcuts with the new search keys, the source view has a legend of its
/// tints, and the window has an icon.
#[test]
fn help_about_shortcuts_legend_and_icon() {
    let (mut harness, sample) = sample_harness();
    click_menu_entry(&mut harness, MenuCommand::About);
    harness.get_by_label(&format!("PolicyLens {}", env!("CARGO_PKG_VERSION")));
    let annotations = sample.path().join(".policylens/annotations.json");
    harness.get_by_label(&annotations.display().to_string());
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(harness.query_by_label("Where your work is kept").is_none());
    harness.key_press(egui::Key::F1);
    harness.run();
    harness.get_by_label("Search articles");
    harness.get_by_label("Next match");
    harness.key_press(egui::Key::Escape);
    harness.run();
    // The legend sits above the article.
    click_first_project(&mut harness);
    harness.get_by_label("Tints:");
    harness.get_by_label("search match");
    let icon = policylens::ui::window_icon();
    assert_eq!((icon.width, icon.height), (64, 64));
    assert_eq!(icon.rgba.len(), 64 * 64 * 4);
    assert!(
        icon.rgba.chunks(4).any(|p| p[3] == 255),
        "the icon is not blank"
    );
}

/// Pickers that search (issue 17 §2, §3): the district filter finds `阳曲县` by its
/// pinyin; the district correction offers every unit of the national gazetteer, found
/// by pinyin initials, each with its pinyin and where it is.
#[test]
fn district_pickers_search_by_name_and_pinyin() {
    let (mut harness, _sample) = sample_harness();
    filter_district_picker(&harness).click();
    harness.run();
    harness.get_by_label("Find").type_text("yangqu");
    harness.run();
    assert!(
        harness
            .query_by_label_contains("清徐县  Qingxu Xian")
            .is_none(),
        "the list narrows as the analyst types"
    );
    harness.get_by_label_contains("阳曲县  Yangqu Xian").click();
    harness.run();
    assert_eq!(
        harness.state().items_filter().district.as_deref(),
        Some("阳曲县")
    );
    // Back to every district, from the same list.
    filter_district_picker(&harness).click();
    harness.run();
    harness
        .get_all_by_label("All districts")
        .last()
        .unwrap()
        .click();
    harness.run();
    assert_eq!(harness.state().items_filter().district, None);
    // Correct the first project's district to a county the folder never names.
    let (item, _) = click_first_project(&mut harness);
    // The filter bar's picker is labelled "District" too; the review panel's shows what
    // was extracted.
    harness
        .get_all_by_role_and_label(Role::ComboBox, "District")
        .find(|n| {
            let value = n.accesskit_node().value();
            value.is_some_and(|v| v.starts_with("as extracted"))
        })
        .unwrap()
        .click();
    harness.run();
    harness.get_by_label("Find").type_text("linchengxian");
    harness.run();
    let choice = "临城县  Lincheng Xian  · 邢台市 · 河北省";
    harness.get_by_label(choice).click();
    harness.run();
    let note = harness.state().review().unwrap().note_of(item).cloned();
    assert_eq!(note.and_then(|n| n.district).as_deref(), Some("临城县"));
}

/// Every value of column `name` in an exported CSV (UTF-8 with BOM), in row order.
fn export_column(path: &Path, name: &str) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let column = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {}", path.display()));
    reader
        .records()
        .map(|r| r.unwrap()[column].to_owned())
        .collect()
}

/// A right click (press and release of the secondary button) at `pos`.
fn right_click_at(harness: &mut Harness<'static, PolicyLensApp>, pos: egui::Pos2) {
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Secondary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        });
    }
}

/// The text the app puts on the clipboard in the next frame (the one that handles a click).
fn copied(harness: &mut Harness<'static, PolicyLensApp>) -> Option<String> {
    // The copy happens in the frame that handles the click.
    harness.step();
    harness
        .output()
        .platform_output
        .commands
        .iter()
        .rev()
        .find_map(|command| match command {
            egui::OutputCommand::CopyText(text) => Some(text.clone()),
            _ => None,
        })
}

/// A row's right-click menu (issue 17 §4): copy its text and the row, tag it, reject it,
/// correct its district with the searching list, show it in the source.
#[test]
fn a_rows_menu_tags_rejects_corrects_and_copies() {
    let (mut harness, _sample) = sample_harness();
    let (item, text) = click_first_project(&mut harness);
    harness.key_press(egui::Key::Escape);
    harness.run();
    open_row_menu(&mut harness, &text);
    harness.get_by_label("Copy text").click();
    assert_eq!(copied(&mut harness).as_deref(), Some(text.as_str()));
    harness.run();
    open_row_menu(&mut harness, &text);
    harness.get_by_label("Copy row").click();
    let row = copied(&mut harness).unwrap();
    let fields: Vec<&str> = row.split('\t').collect();
    assert_eq!(fields.len(), 9, "{row}");
    assert_eq!((fields[0], fields[1]), ("Project", text.as_str()));
    harness.run();
    // Tag ▸ the first tag.
    open_row_menu(&mut harness, &text);
    harness.get_by_label("Tag as").hover();
    harness.run();
    harness
        .get_by_role_and_label(Role::CheckBox, "重点 Key")
        .click();
    harness.run();
    let tagged = |harness: &Harness<'static, PolicyLensApp>| {
        let note = harness.state().review().unwrap().note_of(item).cloned();
        note.unwrap_or_default()
    };
    assert_eq!(tagged(&harness).tags.len(), 1);
    // Correct district ▸ typed in pinyin.
    open_row_menu(&mut harness, &text);
    harness.get_by_label("Correct district").hover();
    harness.run();
    harness.get_by_label("Find").type_text("linchengxian");
    harness.run();
    harness
        .get_by_label("临城县  Lincheng Xian  · 邢台市 · 河北省")
        .click();
    harness.run();
    assert_eq!(tagged(&harness).district.as_deref(), Some("临城县"));
    // Reject, then take it back.
    open_row_menu(&mut harness, &text);
    harness.get_by_label("Reject (wrong)").click();
    harness.run();
    assert!(tagged(&harness).rejected);
    harness.get_by_label("Rejected").click();
    harness.run();
    open_row_menu(&mut harness, &text);
    harness.get_by_label("Not rejected").click();
    harness.run();
    assert!(!tagged(&harness).rejected);
    open_row_menu(&mut harness, &text);
    harness.get_by_label("Show in source").click();
    harness.run();
    assert_eq!(harness.state().selection().item, Some(item));
}

/// The source view's menu (issue 17 §4): right-click a selection to search the articles
/// for it or copy it with its citation; a document's menu filters to its items.
#[test]
fn the_source_and_document_menus_search_cite_and_filter() {
    let (mut harness, _sample) = sample_harness();
    let (item, text) = click_first_project(&mut harness);
    harness.run();
    let (document, start, end, title, file) = {
        let workspace = harness.state().workspace().unwrap();
        let document = workspace.document_of_item[item] as usize;
        let item = &workspace.items[item];
        let d = &workspace.documents[document];
        (
            document,
            item.start,
            item.end,
            d.label().to_owned(),
            d.file.clone(),
        )
    };
    let boundary = |harness: &Harness<'static, PolicyLensApp>, index: usize| {
        harness
            .state()
            .source_view()
            .boundary_on_screen(index)
            .unwrap()
    };
    let from = boundary(&harness, start) + egui::vec2(2.0, 0.0);
    let to = boundary(&harness, end) - egui::vec2(2.0, 0.0);
    harness.drag_at(from);
    harness.run();
    harness.hover_at(to);
    harness.run();
    harness.drop_at(to);
    harness.run();
    assert_eq!(
        harness.state().source_view().text_selection(),
        Some((document, start..end))
    );
    let middle = from + (to - from) * 0.5;
    harness.hover_at(middle);
    harness.run();
    right_click_at(&mut harness, middle);
    harness.run();
    harness.get_by_label("Copy with citation").click();
    assert_eq!(
        copied(&mut harness),
        Some(format!("{text} — {title}, {file}"))
    );
    harness.run();
    harness.hover_at(middle);
    right_click_at(&mut harness, middle);
    harness.run();
    harness
        .get_by_label(&format!("Search the articles for “{text}”"))
        .click();
    settle_search(&mut harness);
    assert_eq!(
        harness.state().settings().tab,
        policylens::ui::state::Tab::Search
    );
    assert!(!harness.state().search().results.matches.is_empty());
    // A document's menu: only its items.
    let other = (document + 1) % harness.state().workspace().unwrap().documents.len();
    let other_title = harness.state().workspace().unwrap().documents[other]
        .label()
        .to_owned();
    harness
        .get_all_by_label(&other_title)
        .next()
        .unwrap()
        .click_secondary();
    harness.run();
    harness.get_by_label("Show only its items").click();
    harness.run();
    let other_file = harness.state().workspace().unwrap().documents[other]
        .file
        .clone();
    assert_eq!(
        harness.state().items_filter().document.as_deref(),
        Some(other_file.as_str())
    );
    assert_eq!(
        harness.state().settings().tab,
        policylens::ui::state::Tab::Items
    );
}

/// The documents list (issue 17 §5) finds documents by title and sorts them by item
/// count, the way the analyst uses it.
#[test]
fn the_documents_list_searches_titles_and_sorts() {
    let (mut harness, _sample) = sample_harness();
    let titles = |harness: &Harness<'static, PolicyLensApp>| -> Vec<String> {
        let app = harness.state();
        let documents = &app.workspace().unwrap().documents;
        app.shown_documents()
            .iter()
            .map(|&i| documents[i].label().to_owned())
            .collect()
    };
    assert_eq!(titles(&harness).len(), 5);
    harness.get_by_label("Find document").click();
    harness.run();
    harness.get_by_label("Find document").type_text("蓝佛安");
    harness.run();
    let found = titles(&harness);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found.iter().all(|t| t.contains("蓝佛安")));
    harness.get_by_label("Find document").type_text("在晋城");
    harness.run();
    assert_eq!(titles(&harness), ["蓝佛安在晋城调研时强调"]);
    // Clear the query (select all, delete), then sort by item count.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.key_press(egui::Key::Backspace);
    harness.run();
    assert_eq!(titles(&harness).len(), 5);
    harness
        .get_by_role_and_label(Role::ComboBox, "Sort")
        .click();
    harness.run();
    harness.get_by_label("Items (most first)").click();
    harness.run();
    let counts: Vec<usize> = {
        let app = harness.state();
        let workspace = app.workspace().unwrap();
        app.shown_documents()
            .iter()
            .map(|&i| workspace.items_of_document[i].len())
            .collect()
    };
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
}

/// Pinyin (issue 17 §3): the English Districts tab shows each name's pinyin, and *Sort
/// names by pinyin* orders the names by it instead of by code point.
#[test]
fn districts_show_pinyin_and_sort_by_it() {
    let (mut harness, _sample) = sample_harness();
    harness.get_by_label_contains("Districts (").click();
    harness.run();
    harness.get_by_label("Qingxu Xian");
    let by_code_point = harness.state().shown_districts();
    let mut sorted = by_code_point.clone();
    sorted.sort();
    assert_eq!(by_code_point, sorted);
    harness.get_by_label("Sort names by pinyin").click();
    harness.run();
    assert!(harness.state().settings().names_by_pinyin);
    let by_pinyin = harness.state().shown_districts();
    let keys: Vec<String> = by_pinyin
        .iter()
        .map(|n| policylens::place_names::sort_key(n))
        .collect();
    assert!(keys.windows(2).all(|w| w[0] <= w[1]), "{by_pinyin:?}");
    assert_ne!(
        by_pinyin, by_code_point,
        "the sample's names order differently"
    );
}

/// Stated totals (issue 17 §7): the district overview shows the total an article states
/// beside a count of projects, apart from the projects' investment, which it never adds
/// to.
#[test]
fn districts_show_stated_totals_apart_from_project_investment() {
    let (mut harness, _sample) = sample_harness();
    harness.get_by_label_contains("Districts (").click();
    harness.run();
    harness.get_by_label("Stated totals");
    harness.get_by_label("80.46亿元 · 现场签约项目11个");
    let app = harness.state();
    let row = app
        .workspace()
        .unwrap()
        .districts
        .iter()
        .find(|r| r.stated_totals.iter().any(|t| t.amount == "80.46亿元"))
        .unwrap();
    assert!(
        row.investment_yi < 80.0,
        "{}: {}",
        row.name,
        row.investment_yi
    );
}

/// *File → Import tags from .qdpx/.qdc…* (issue 18 §2) adds a codebook's codable codes
/// as tags, skipping names the folder has, in one undo step.
#[test]
fn a_refi_qda_codebook_becomes_tags() {
    let (mut harness, _sample) = sample_harness();
    // Outside the open folder, like the list in the lexicon test above.
    let elsewhere = tempfile::tempdir().unwrap();
    let codebook = elsewhere.path().join("codes.qdc");
    std::fs::write(
        &codebook,
        r##"<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>
  <Code guid="11111111-2222-3333-4444-555555555555" name="政策文件" isCodable="true" color="#112233"/>
  <Code guid="11111111-2222-3333-4444-555555555556" name="重点 key" isCodable="true"/>
  <Code guid="11111111-2222-3333-4444-555555555557" name="Themes" isCodable="false">
    <Code guid="11111111-2222-3333-4444-555555555558" name="Water &amp; land" isCodable="true"/>
  </Code>
</Codes></CodeBook>"##,
    )
    .unwrap();
    let before = harness.state().review().unwrap().annotations.tags.len();
    harness
        .state_mut()
        .answer_dialogs_with(vec![Some(codebook.clone())]);
    click_menu_entry(&mut harness, MenuCommand::ImportTags);
    harness.run();
    let tags = harness.state().review().unwrap().annotations.tags.clone();
    let names: Vec<&str> = tags.iter().skip(before).map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["政策文件", "Water & land"]);
    assert_eq!(tags[before].color, [0x11, 0x22, 0x33]);
    harness.get_by_label_contains("2 tag(s) added from 3 code(s)");
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run();
    assert_eq!(
        harness.state().review().unwrap().annotations.tags.len(),
        before
    );
}

/// PDF articles (issue 18 §1): a PDF opens like any article, the source view gives each
/// paragraph its page, and a scan in the same folder says it has no text layer while the
/// rest loads.
#[test]
fn a_pdf_shows_the_page_of_each_paragraph_and_a_scan_says_what_it_is() {
    let folder = tempfile::tempdir().unwrap();
    let fixtures = common::repo_path("tests/fixtures/pdf");
    std::fs::copy(
        fixtures.join("two_column/001_43fc77b577ed78f0.pdf"),
        folder.path().join("taiyuan.pdf"),
    )
    .unwrap();
    std::fs::copy(fixtures.join("scanned.pdf"), folder.path().join("scan.pdf")).unwrap();
    let mut harness = harness_with_sample(folder.path());
    open(&mut harness, folder.path());
    harness
        .get_all_by_label("Documents")
        .next()
        .unwrap()
        .click();
    harness.run();
    harness.get_by_label_contains("No text layer: scanned PDF?");
    // The title shows in more than one panel; each of them opens the article.
    harness
        .get_all_by_label("蓝佛安在参加省十四届人大一次会议太原代表团审议时强调")
        .next()
        .unwrap()
        .click();
    harness.run();
    let document = harness
        .state()
        .selection()
        .document
        .expect("a document is shown");
    let pages = harness.state().workspace().unwrap().documents[document]
        .paragraph_pages
        .clone();
    assert_eq!(pages.last().map(|p| p.1), Some(3));
    // One label per paragraph, each saying the page that paragraph starts on.
    for page in 1..=3 {
        let expected = pages.iter().filter(|p| p.1 == page).count();
        let shown = harness.get_all_by_label(&format!("p. {page}")).count();
        assert_eq!(shown, expected, "paragraphs on page {page}");
    }
    assert!(harness.query_by_label("p. 4").is_none());
}
