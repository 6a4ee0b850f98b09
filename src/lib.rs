//! PolicyLens core: load a folder of Chinese local-government news articles, extract
//! districts, officials, projects, investment amounts and dates with character offsets,
//! and export them. UI-free; the desktop app and the command line sit on top.
//!
//! ```no_run
//! use policylens::pipeline::{Progress, extract_folder};
//! let extraction = extract_folder("sample_data".as_ref(), &Default::default(), &Progress::default())?;
//! for item in &extraction.items {
//!     println!("{} {} {:?}", item.kind.as_str(), item.text, item.district);
//! }
//! # Ok::<(), policylens::Error>(())
//! ```

pub mod annotate;
pub mod cache;
pub mod corpus;
pub mod error;
pub mod evaluate;
pub mod export;
pub mod extract;
pub mod insight;
pub mod lexicon;
pub mod pipeline;
pub mod place_names;
pub mod search;
pub mod session;
pub mod stream;
pub mod table;
#[cfg(feature = "gui")]
pub mod ui;
pub mod watch;

pub use corpus::{Document, LoadOptions};
pub use error::{Error, Result};
pub use extract::{Extractor, Item, ItemKind};
