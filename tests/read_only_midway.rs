//! The folder turns read-only while it is open, and writable again later (issue 13
//! §2–3): the save moves to the user data directory at once, and reopening the folder
//! merges that copy back, so the app and the command line read the same annotations.

use std::path::Path;

use policylens::annotate::store::{Store, read_saved};
use policylens::annotate::{Annotations, ItemNote};

fn with_notes(notes: &[(&str, &str)]) -> Annotations {
    let mut annotations = Annotations::default();
    for (id, note) in notes {
        annotations.items.insert(
            (*id).to_owned(),
            ItemNote {
                note: (*note).to_owned(),
                ..ItemNote::default()
            },
        );
    }
    annotations
}

fn ids(annotations: &Annotations) -> Vec<&str> {
    annotations.items.keys().map(String::as_str).collect()
}

/// Makes `folder`'s data directory refuse writes, as a read-only remount does (a file
/// stands where the directory was; chmod does not stop root, who runs CI).
fn refuse_writes(folder: &Path) {
    let data = folder.join(".policylens");
    std::fs::rename(&data, folder.join("away")).unwrap();
    std::fs::write(&data, "not a directory").unwrap();
}

fn accept_writes(folder: &Path) {
    let data = folder.join(".policylens");
    std::fs::remove_file(&data).unwrap();
    std::fs::rename(folder.join("away"), &data).unwrap();
}

#[test]
fn a_folder_that_turns_read_only_loses_nothing_and_merges_back() {
    // This binary holds this one test, so no other thread reads the environment.
    let data_home = tempfile::tempdir().unwrap();
    unsafe { std::env::set_var("XDG_DATA_HOME", data_home.path()) };
    let folder = tempfile::tempdir().unwrap();
    let folder = folder.path();

    let mut opened = Store::open(folder);
    assert!(opened.warnings.is_empty(), "{:?}", opened.warnings);
    opened.store.save(&with_notes(&[("a", "first")])).unwrap();

    // The folder turns read-only: the next save goes to the user data directory.
    refuse_writes(folder);
    let moved = opened
        .store
        .save_or_move(&with_notes(&[("a", "first"), ("b", "while read-only")]))
        .expect("saved somewhere")
        .expect("moved to the user data directory");
    assert!(moved.starts_with(data_home.path()), "{}", moved.display());
    assert!(
        std::fs::read_to_string(&moved)
            .unwrap()
            .contains("while read-only")
    );
    drop(opened);

    // Writable again; the folder is reopened, and another item is tagged there.
    accept_writes(folder);
    let reopened = Store::open(folder);
    assert_eq!(ids(&reopened.annotations), ["a", "b"], "both copies merged");
    assert!(
        reopened.warnings.iter().any(|w| matches!(
            w,
            policylens::annotate::store::StoreNotice::MergedFromUserData { changes: 1, .. }
        )),
        "{:?}",
        reopened.warnings
    );
    let mut later = reopened.annotations.clone();
    later.items.insert("c".to_owned(), ItemNote::default());
    reopened.store.save(&later).unwrap();
    drop(reopened);

    // The command line's export reads what the app shows.
    let exported = read_saved(folder).unwrap();
    assert_eq!(ids(&exported), ["a", "b", "c"]);
    // Merged once: opening again neither warns nor duplicates.
    let again = Store::open(folder);
    assert!(again.warnings.is_empty(), "{:?}", again.warnings);
    assert_eq!(ids(&again.annotations), ["a", "b", "c"]);
}
