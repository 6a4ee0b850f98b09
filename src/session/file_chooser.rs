//! The file system side of PolicyLens's own file chooser, used when no system dialog
//! (xdg-desktop-portal or zenity) can be shown: listing a folder and completing a typed
//! path, as a shell does on Tab. No UI here; the app draws it.

use std::path::{Path, PathBuf};

/// One entry of a listed folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChooserEntry {
    pub name: String,
    pub is_dir: bool,
}

/// What the chooser lists besides folders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Show {
    /// Folders only (opening a folder).
    Folders,
    /// Folders and files with one of these extensions (saving an export).
    FilesEnding(&'static [&'static str]),
}

impl Show {
    fn wants(&self, entry: &ChooserEntry) -> bool {
        match self {
            Show::Folders => entry.is_dir,
            Show::FilesEnding(extensions) => {
                entry.is_dir
                    || Path::new(&entry.name)
                        .extension()
                        .and_then(|e| e.to_str())
                        .is_some_and(|e| extensions.iter().any(|x| x.eq_ignore_ascii_case(e)))
            }
        }
    }
}

/// The entries of `dir` that `show` wants, folders first, each group by name; hidden
/// entries (a leading dot) are left out. Entries whose names are not Unicode are left
/// out too: the chooser could not type them back.
pub fn list_dir(dir: &Path, show: Show) -> std::io::Result<Vec<ChooserEntry>> {
    let mut entries: Vec<ChooserEntry> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            // Follows symbolic links, so a linked folder lists as a folder.
            let is_dir = entry.path().is_dir();
            Some(ChooserEntry { name, is_dir })
        })
        .filter(|entry| !entry.name.starts_with('.') && show.wants(entry))
        .collect();
    entries.sort_by(|a, b| b.is_dir.cmp(&a.is_dir).then_with(|| a.name.cmp(&b.name)));
    Ok(entries)
}

/// A typed path with `~` for the home folder expanded.
pub fn expand_home(text: &str) -> PathBuf {
    match text.strip_prefix('~') {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => {
            match directories::BaseDirs::new() {
                Some(dirs) => dirs.home_dir().join(rest.trim_start_matches('/')),
                None => PathBuf::from(text),
            }
        }
        _ => PathBuf::from(text),
    }
}

/// The result of completing a typed path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// The text after completion (unchanged when nothing matches).
    pub text: String,
    /// The names that still match when the completion is not unique.
    pub candidates: Vec<String>,
}

/// Completes the last component of `text` against its folder's entries, as a shell's
/// Tab does: a single match is completed (a folder gets its `/`), several matches are
/// completed to their longest common prefix and listed. Case is ignored when matching.
pub fn complete(text: &str, show: Show) -> Completion {
    let unchanged = || Completion {
        text: text.to_owned(),
        candidates: Vec::new(),
    };
    let (folder_text, prefix) = match text.rfind('/') {
        Some(slash) => (&text[..=slash], &text[slash + 1..]),
        None => return unchanged(),
    };
    let Ok(entries) = list_dir(&expand_home(folder_text), show) else {
        return unchanged();
    };
    let lowered = prefix.to_lowercase();
    let matches: Vec<&ChooserEntry> = entries
        .iter()
        .filter(|e| e.name.to_lowercase().starts_with(&lowered))
        .collect();
    match matches.as_slice() {
        [] => unchanged(),
        [only] => Completion {
            text: format!(
                "{folder_text}{}{}",
                only.name,
                if only.is_dir { "/" } else { "" }
            ),
            candidates: Vec::new(),
        },
        several => {
            let common = longest_common_prefix(several.iter().map(|e| e.name.as_str()));
            // A case-insensitive match may share less than what was typed.
            let completed = if common.chars().count() >= prefix.chars().count() {
                common
            } else {
                prefix.to_owned()
            };
            Completion {
                text: format!("{folder_text}{completed}"),
                candidates: several.iter().map(|e| e.name.clone()).collect(),
            }
        }
    }
}

fn longest_common_prefix<'a>(mut names: impl Iterator<Item = &'a str>) -> String {
    let Some(first) = names.next() else {
        return String::new();
    };
    let mut common: Vec<char> = first.chars().collect();
    for name in names {
        let shared = common
            .iter()
            .zip(name.chars())
            .take_while(|(a, b)| *a == b)
            .count();
        common.truncate(shared);
    }
    common.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for sub in ["新闻稿", "news-2023", "news-2024", ".hidden"] {
            std::fs::create_dir(dir.path().join(sub)).unwrap();
        }
        for file in ["notes.csv", "notes.xlsx", "readme.txt"] {
            std::fs::write(dir.path().join(file), "x").unwrap();
        }
        dir
    }

    #[test]
    fn folders_come_first_and_hidden_entries_are_left_out() {
        let dir = folder();
        let names = |show| -> Vec<String> {
            list_dir(dir.path(), show)
                .unwrap()
                .into_iter()
                .map(|e| e.name)
                .collect()
        };
        assert_eq!(names(Show::Folders), ["news-2023", "news-2024", "新闻稿"]);
        assert_eq!(
            names(Show::FilesEnding(&["csv", "xlsx"])),
            [
                "news-2023",
                "news-2024",
                "新闻稿",
                "notes.csv",
                "notes.xlsx"
            ]
        );
    }

    #[test]
    fn tab_completes_a_unique_match_and_lists_several() {
        let dir = folder();
        let base = format!("{}/", dir.path().display());
        let unique = complete(&format!("{base}新"), Show::Folders);
        assert_eq!(unique.text, format!("{base}新闻稿/"));
        assert!(unique.candidates.is_empty());
        let several = complete(&format!("{base}NE"), Show::Folders);
        assert_eq!(several.text, format!("{base}news-202"));
        assert_eq!(several.candidates, ["news-2023", "news-2024"]);
        let file = complete(&format!("{base}notes.x"), Show::FilesEnding(&["xlsx"]));
        assert_eq!(file.text, format!("{base}notes.xlsx"));
        // Nothing to complete: the text stays as typed.
        let none = complete(&format!("{base}zzz"), Show::Folders);
        assert_eq!(none.text, format!("{base}zzz"));
        assert_eq!(complete("relative", Show::Folders).text, "relative");
        assert_eq!(
            complete("/no/such/folder/x", Show::Folders).text,
            "/no/such/folder/x"
        );
    }
}
