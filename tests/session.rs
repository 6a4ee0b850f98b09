//! The folder session without a window (`cargo test --no-default-features` runs these):
//! annotations re-keyed to re-extracted items, manual items relocated, autosave, the
//! refresh of a changed file, and the rescue of a folder that vanished. One test, so
//! the user data directory can be pointed at a temporary one.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use policylens::LoadOptions;
use policylens::annotate::{Anchor, Annotations};
use policylens::pipeline::{Progress, extract_folder};
use policylens::session::folder_watch::FolderWatch;
use policylens::session::review::Review;
use policylens::session::workspace::Workspace;

const ARTICLE: &str = "清徐县委书记王剑峰表示，今年将加快清源水城项目建设，总投资8.16亿元。";

fn workspace_of(folder: &std::path::Path) -> Workspace {
    let extraction = extract_folder(folder, &LoadOptions::default(), &Progress::default()).unwrap();
    Workspace::new(extraction, 0)
}

fn saved(folder: &std::path::Path) -> Annotations {
    let text = std::fs::read_to_string(folder.join(".policylens/annotations.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn index_of(workspace: &Workspace, text: &str) -> usize {
    workspace
        .items
        .iter()
        .position(|i| i.text == text)
        .unwrap_or_else(|| panic!("no item {text}"))
}

#[test]
fn the_session_keeps_annotations_through_changes_and_a_vanished_folder() {
    // This binary holds this one test, so no other thread reads the environment.
    let data_home = tempfile::tempdir().unwrap();
    unsafe { std::env::set_var("XDG_DATA_HOME", data_home.path()) };
    let parent = tempfile::tempdir().unwrap();
    let folder = parent.path().join("articles");
    std::fs::create_dir(&folder).unwrap();
    let file = folder.join("a.txt");
    std::fs::write(&file, ARTICLE).unwrap();

    // A note on the project and a manual item; autosave writes both.
    let workspace = workspace_of(&folder);
    let mut review = Review::open(&folder, &workspace.items);
    let project = index_of(&workspace, "王剑峰");
    review.type_note(project, &workspace.items, "key project");
    review.end_typing();
    let manual_start = ARTICLE.chars().position(|c| c == '总').unwrap();
    review.add_manual_item(Anchor {
        file: "a.txt".to_owned(),
        kind: policylens::ItemKind::Amount,
        text: "总投资8.16亿元".to_owned(),
        start: manual_start,
        end: manual_start + 9,
    });
    let deadline = Instant::now() + Duration::from_secs(5);
    while review.tick().is_some() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let on_disk = saved(&folder);
    assert!(
        on_disk.items.values().any(|n| n.note == "key project"),
        "autosaved"
    );
    assert!(
        on_disk.items.values().any(|n| n.manual),
        "manual item autosaved"
    );

    // The file changes on disk: the watch refreshes it, the note follows its item (re-key)
    // and the manual item moves with its text.
    let mut watch = FolderWatch::start(&folder, || {});
    watch.wait_until_watching();
    std::fs::write(&file, format!("新华社消息。{ARTICLE}")).unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    let (refreshed, changes) = loop {
        assert!(Instant::now() < deadline, "no refresh within 20 s");
        watch.poll_changes(&workspace, || {});
        if let Some(refreshed) = watch.try_refreshed() {
            let refresh = refreshed.expect("refreshed");
            break (refresh.workspace, refresh.changes);
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let changed: BTreeSet<&str> = changes.files().collect();
    assert!(changed.contains("a.txt"));
    let orphans = review.reattach(&refreshed.items, &refreshed.documents, &changed);
    assert_eq!(orphans, 0);
    let moved = index_of(&refreshed, "王剑峰");
    assert_ne!(refreshed.items[moved].start, workspace.items[project].start);
    assert_eq!(
        review.note_of(moved).map(|n| n.note.as_str()),
        Some("key project")
    );
    let manual = review
        .annotations
        .items
        .values()
        .find(|n| n.manual)
        .unwrap();
    assert_eq!(
        manual.anchor.start,
        manual_start + "新华社消息。".chars().count()
    );

    // The folder vanishes: the annotations are rescued to the user data directory.
    drop(watch);
    std::fs::remove_dir_all(&folder).unwrap();
    let rescued = review.rescue().expect("rescued");
    assert!(
        rescued.starts_with(data_home.path()),
        "{}",
        rescued.display()
    );
    let text = std::fs::read_to_string(&rescued).unwrap();
    assert!(text.contains("key project"));
}
