//! A folder that changes while it is open: the app re-extracts only the changed files,
//! says so, and the analyst's annotations follow their items or are listed as orphans,
//! never dropped.

#![cfg(feature = "gui")]

mod common;

use egui_kittest::kittest::Queryable;
use policylens::ItemKind;
use policylens::ui::PolicyLensApp;
use policylens::ui::command::Command;
use policylens::ui::folder_watch::FolderNotice;

const NEW_PARAGRAPH: &str = "清徐县委书记王剑峰表示，今年将加快清源水城项目建设，总投资8.16亿元。";

/// The first official of a file that does not mention 王剑峰, with its file and path.
fn an_official(app: &PolicyLensApp) -> (usize, String, std::path::PathBuf) {
    let workspace = app.workspace().unwrap();
    let (index, item) = workspace
        .items
        .iter()
        .enumerate()
        .find(|(i, item)| {
            item.kind == ItemKind::Official && !workspace.document_of(*i).text.contains("王剑峰")
        })
        .expect("an official");
    (
        index,
        item.text.clone(),
        workspace.document_of(index).path.clone(),
    )
}

fn tag_item(harness: &mut egui_kittest::Harness<'static, PolicyLensApp>, item: usize) {
    let ctx = harness.ctx.clone();
    harness.state_mut().apply(
        &ctx,
        Command::SelectItem {
            item,
            reveal: true,
            extend: policylens::ui::command::Extend::Replace,
        },
    );
    harness.run();
    harness.key_press(egui::Key::Num1);
    harness.run();
}

fn tagged_items(app: &PolicyLensApp) -> Vec<(String, String)> {
    let workspace = app.workspace().unwrap();
    let review = app.review().unwrap();
    (0..workspace.items.len())
        .filter(|&i| review.note_of(i).is_some_and(|n| n.tags.contains(&1)))
        .map(|i| {
            (
                workspace.items[i].file.clone(),
                workspace.items[i].text.clone(),
            )
        })
        .collect()
}

#[test]
fn files_changed_on_disk_are_re_extracted_and_their_annotations_follow() {
    let folder = tempfile::tempdir().unwrap();
    common::copy_sample_articles(folder.path());
    let mut harness = common::app_with_folder(folder.path());
    let (item, official, path) = an_official(harness.state());
    let file = harness.state().workspace().unwrap().items[item]
        .file
        .clone();
    let old_start = harness.state().workspace().unwrap().items[item].start;
    let documents_before = harness.state().workspace().unwrap().documents.len();
    tag_item(&mut harness, item);
    assert_eq!(
        tagged_items(harness.state()),
        [(file.clone(), official.clone())]
    );

    // The article gains a paragraph before and after; a new article arrives beside it.
    let text = std::fs::read_to_string(&path).unwrap();
    let prefix = "【编者按】本文有更新。\n\n";
    std::fs::write(&path, format!("{prefix}{text}\n\n{NEW_PARAGRAPH}\n")).unwrap();
    std::fs::write(folder.path().join("zz_new.txt"), NEW_PARAGRAPH).unwrap();

    common::step_until(&mut harness, "the change to be picked up", |app| {
        matches!(app.folder_notice(), Some(FolderNotice::Changed { .. }))
    });
    let Some(FolderNotice::Changed { changes, orphans }) = harness.state().folder_notice().cloned()
    else {
        unreachable!()
    };
    assert_eq!(changes.changed, std::slice::from_ref(&file));
    assert_eq!(changes.added, ["zz_new.txt"]);
    assert!(changes.removed.is_empty());
    assert_eq!(orphans, 0);
    harness.run();
    harness.get_by_label("1 changed");
    harness.get_by_label("1 added");

    let app = harness.state();
    let workspace = app.workspace().unwrap();
    assert_eq!(workspace.documents.len(), documents_before + 1);
    let new_official = |file: &str| {
        workspace
            .items
            .iter()
            .any(|i| i.file == file && i.kind == ItemKind::Official && i.text == "王剑峰")
    };
    assert!(
        new_official(&file),
        "the changed file's new paragraph is extracted"
    );
    assert!(new_official("zz_new.txt"), "the added file is extracted");
    // The tag stayed on the same official, now further into the text.
    assert_eq!(tagged_items(app), [(file.clone(), official.clone())]);
    let moved = (0..workspace.items.len())
        .find(|&i| app.review().unwrap().note_of(i).is_some())
        .unwrap();
    assert_eq!(
        workspace.items[moved].start,
        old_start + prefix.chars().count()
    );

    // Now the official is cut from the article: the annotation is orphaned, not dropped.
    let without: String = std::fs::read_to_string(&path)
        .unwrap()
        .replace(official.as_str(), "某某");
    std::fs::write(&path, without).unwrap();
    common::step_until(&mut harness, "the second change", |app| {
        matches!(
            app.folder_notice(),
            Some(FolderNotice::Changed { orphans: 1, .. })
        )
    });
    assert!(tagged_items(harness.state()).is_empty());
    let review = harness.state().review().unwrap();
    assert_eq!(review.orphans.len(), 1);
    let orphan = &review.annotations.items[&review.orphans[0]];
    assert_eq!(orphan.anchor.text, official);
    assert!(orphan.tags.contains(&1));
    harness.state_mut().flush_annotations();
    let saved = policylens::annotate::store::read_saved(folder.path()).unwrap();
    assert!(
        saved
            .items
            .values()
            .any(|n| n.anchor.text == official && n.tags.contains(&1)),
        "the orphan is saved"
    );
}
