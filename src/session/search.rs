//! Searching the open folder's articles as the analyst types: each query runs on a
//! thread of its own and streams its matches in batches, so the first ones show while
//! the rest of a large folder is still being searched; a new keystroke cancels the run
//! it replaces. UI-free, so the tests drive it without a window.

use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::sync::{Arc, OnceLock};

use crate::Document;
use crate::search::{self, Match, Query, SearchIndex};

/// More matches than anyone reads; the search stops there and says so.
pub const MATCH_LIMIT: usize = 200_000;

enum Event {
    Batch {
        matches: Vec<Match>,
        searched: usize,
    },
    Done {
        limited: bool,
    },
}

/// One query running over a folder. Dropping it stops the thread.
pub struct SearchRun {
    events: Receiver<Event>,
    cancel: Arc<AtomicBool>,
}

impl SearchRun {
    /// Starts searching `documents` for `query`. The folded copies the search needs are
    /// built once per folder, by the first run (`index`).
    pub fn start(
        documents: Arc<Vec<Document>>,
        index: Arc<OnceLock<SearchIndex>>,
        query: Query,
        wake: impl Fn() + Send + 'static,
    ) -> std::io::Result<SearchRun> {
        let cancel = Arc::new(AtomicBool::new(false));
        let (sender, events) = channel();
        let stop = Arc::clone(&cancel);
        std::thread::Builder::new()
            .name("policylens-search".to_owned())
            .spawn(move || {
                let index = index.get_or_init(|| SearchIndex::build(&documents));
                let limited = search::search(
                    &documents,
                    index,
                    &query,
                    MATCH_LIMIT,
                    &stop,
                    |matches, searched| {
                        let sent = sender.send(Event::Batch { matches, searched }).is_ok();
                        wake();
                        sent
                    },
                );
                let _ = sender.send(Event::Done { limited });
                wake();
            })?;
        Ok(SearchRun { events, cancel })
    }
}

impl Drop for SearchRun {
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}

/// What a query has found so far, grouped by document.
#[derive(Debug, Default)]
pub struct SearchResults {
    /// In document order, each document's in text order.
    pub matches: Vec<Match>,
    /// Per document with matches: the document and the range of its matches.
    pub groups: Vec<(usize, Range<usize>)>,
    /// Documents searched so far.
    pub searched: usize,
    pub done: bool,
    /// The search stopped at [`MATCH_LIMIT`].
    pub limited: bool,
}

impl SearchResults {
    /// Takes whatever `run` has sent since the last call; whether anything arrived.
    pub fn receive(&mut self, run: &SearchRun) -> bool {
        let mut changed = false;
        loop {
            match run.events.try_recv() {
                Ok(Event::Batch { matches, searched }) => {
                    self.add(matches);
                    self.searched = searched;
                    changed = true;
                }
                Ok(Event::Done { limited }) => {
                    self.done = true;
                    self.limited = limited;
                    changed = true;
                }
                Err(TryRecvError::Empty) => return changed,
                Err(TryRecvError::Disconnected) => {
                    self.done = true;
                    return true;
                }
            }
        }
    }

    /// Blocks until `run` has finished (tests and benchmarks).
    pub fn receive_all(&mut self, run: &SearchRun) {
        while !self.done {
            match run.events.recv() {
                Ok(Event::Batch { matches, searched }) => {
                    self.add(matches);
                    self.searched = searched;
                }
                Ok(Event::Done { limited }) => {
                    self.done = true;
                    self.limited = limited;
                }
                Err(_) => self.done = true,
            }
        }
    }

    fn add(&mut self, matches: Vec<Match>) {
        for found in matches {
            let index = self.matches.len();
            match self.groups.last_mut() {
                Some((document, range)) if *document == found.document => range.end = index + 1,
                _ => self.groups.push((found.document, index..index + 1)),
            }
            self.matches.push(found);
        }
    }

    /// The matches in `document`.
    pub fn in_document(&self, document: usize) -> &[Match] {
        let at = self.groups.partition_point(|(d, _)| *d < document);
        match self.groups.get(at) {
            Some((d, range)) if *d == document => &self.matches[range.clone()],
            _ => &[],
        }
    }

    /// Where `match_index` is counted from: its place among the matches of its document
    /// (0-based) and how many that document has.
    pub fn place_in_document(&self, match_index: usize) -> Option<(usize, usize)> {
        let document = self.matches.get(match_index)?.document;
        let at = self.groups.partition_point(|(d, _)| *d < document);
        let (_, range) = self.groups.get(at)?;
        Some((match_index - range.start, range.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_streams_its_matches_grouped_by_document() {
        let documents: Arc<Vec<Document>> = Arc::new(
            (0..1500)
                .map(|i| {
                    let text = if i % 3 == 0 {
                        "总投资10亿元，总投资"
                    } else {
                        "无"
                    };
                    Document::from_text(&format!("{i:04}.txt"), text)
                })
                .collect(),
        );
        let index = Arc::new(OnceLock::new());
        let query = Query::new("总投资", false).unwrap();
        let run =
            SearchRun::start(Arc::clone(&documents), Arc::clone(&index), query, || {}).unwrap();
        let mut results = SearchResults::default();
        results.receive_all(&run);
        assert!(results.done && !results.limited);
        assert_eq!(results.searched, 1500);
        assert_eq!(results.groups.len(), 500);
        assert_eq!(results.matches.len(), 1000);
        assert_eq!(results.in_document(3).len(), 2);
        assert!(results.in_document(4).is_empty());
        assert_eq!(results.place_in_document(7), Some((1, 2)));
        assert!(
            index.get().is_some(),
            "the folded copies are kept for the next query"
        );
    }
}
