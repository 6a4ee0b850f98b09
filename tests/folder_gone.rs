//! The open folder disappears (an unplugged drive, a network share gone): the app says
//! so, and the analyst's annotations are saved to the user data directory, keep being
//! saved there, and come back when the folder is opened again.

#![cfg(feature = "gui")]

mod common;

use policylens::ItemKind;
use policylens::ui::command::{Command, Extend};
use policylens::ui::folder_watch::FolderNotice;

#[test]
fn annotations_of_a_folder_that_disappears_are_saved_in_the_user_data_directory() {
    // This binary holds this one test, so no other thread reads the environment.
    let data_home = tempfile::tempdir().unwrap();
    unsafe { std::env::set_var("XDG_DATA_HOME", data_home.path()) };

    let parent = tempfile::tempdir().unwrap();
    let folder = parent.path().join("usb-drive");
    std::fs::create_dir(&folder).unwrap();
    common::copy_sample_articles(&folder);
    let mut harness = common::app_with_folder(&folder);
    let officials: Vec<usize> = {
        let workspace = harness.state().workspace().unwrap();
        (0..workspace.items.len())
            .filter(|&i| workspace.items[i].kind == ItemKind::Official)
            .take(2)
            .collect()
    };
    let ctx = harness.ctx.clone();
    let tag = |harness: &mut egui_kittest::Harness<'static, policylens::ui::PolicyLensApp>,
               item: usize| {
        harness.state_mut().apply(
            &ctx,
            Command::SelectItem {
                item,
                reveal: true,
                extend: Extend::Replace,
            },
        );
        harness.run();
        harness.key_press(egui::Key::Num1);
        harness.run();
    };
    tag(&mut harness, officials[0]);

    std::fs::remove_dir_all(&folder).unwrap();
    common::step_until(&mut harness, "the folder to be missed", |app| {
        matches!(app.folder_notice(), Some(FolderNotice::Gone { .. }))
    });
    let Some(FolderNotice::Gone { rescued }) = harness.state().folder_notice().cloned() else {
        unreachable!()
    };
    let rescued = rescued.expect("annotations rescued");
    assert!(
        rescued.starts_with(data_home.path()),
        "{}",
        rescued.display()
    );
    harness.run();
    // The banner names the file.
    use egui_kittest::kittest::Queryable;
    harness.get_by_label(&rescued.display().to_string());

    let tags_in = |path: &std::path::Path| {
        let saved: policylens::annotate::Annotations =
            serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        saved.items.values().filter(|n| n.tags.contains(&1)).count()
    };
    assert_eq!(tags_in(&rescued), 1);
    // The work goes on: a later edit is saved there too.
    tag(&mut harness, officials[1]);
    harness.state_mut().flush_annotations();
    assert_eq!(tags_in(&rescued), 2);

    // The drive comes back: opening the folder restores the rescued annotations.
    drop(harness);
    std::fs::create_dir(&folder).unwrap();
    common::copy_sample_articles(&folder);
    let mut harness = common::app_with_folder(&folder);
    let review = harness.state().review().unwrap();
    assert!(
        review.warnings.iter().any(|w| matches!(
            w,
            policylens::annotate::store::StoreNotice::RescueRestored { .. }
        )),
        "{:?}",
        review.warnings
    );
    assert_eq!(
        review
            .annotations
            .items
            .values()
            .filter(|n| n.tags.contains(&1))
            .count(),
        2
    );
    harness.state_mut().flush_annotations();
    let in_folder = policylens::annotate::store::read_saved(&folder).unwrap();
    assert_eq!(
        in_folder
            .items
            .values()
            .filter(|n| n.tags.contains(&1))
            .count(),
        2
    );
}
