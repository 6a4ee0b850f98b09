//! Errors of the core library. Every variant that concerns a file carries its path,
//! and the path comes last in the message (the reader scans for *what* went wrong first).

use std::path::PathBuf;

/// Why a document, or a whole folder, could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read folder: {source}: {path}")]
    FolderUnreadable {
        source: std::io::Error,
        path: PathBuf,
    },
    #[error("not a folder: {path}")]
    NotAFolder { path: PathBuf },
    #[error("cannot read file: {source}: {path}")]
    Io {
        source: std::io::Error,
        path: PathBuf,
    },
    #[error("file is empty: {path}")]
    Empty { path: PathBuf },
    #[error("file looks binary (contains NUL bytes), not text: {path}")]
    Binary { path: PathBuf },
    #[error("file is {size_bytes} bytes, over the limit of {limit_bytes} bytes: {path}")]
    TooLarge {
        size_bytes: u64,
        limit_bytes: u64,
        path: PathBuf,
    },
    #[error("text could not be decoded ({detail}): {path}")]
    Undecodable { detail: String, path: PathBuf },
    #[error("file name is not valid Unicode: {path}")]
    NonUnicodeName { path: PathBuf },
    /// Not an error but a warning beside a loaded file: how its bytes were decoded.
    #[error("{detail}: {path}")]
    DecodingWarning { detail: String, path: PathBuf },
    #[error("cannot walk folder ({detail}): {path}")]
    Walk { detail: String, path: PathBuf },
    #[error("nothing to open: no files or folders were given")]
    NothingToOpen,
    #[error("cannot read Word document ({detail}): {path}")]
    Docx { detail: String, path: PathBuf },
    #[error("{problem}: {path}")]
    Pdf {
        problem: crate::corpus::pdf::PdfProblem,
        path: PathBuf,
    },
}

/// What kind of problem kept a document from loading, for saying it in the analyst's
/// language (the English message is [`DocumentError`]'s `Display`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentErrorKind {
    Io,
    Empty,
    Binary,
    TooLarge,
    Undecodable,
    Walk,
    Docx,
    /// A PDF with pages but no text: a scan.
    ScannedPdf,
    EncryptedPdf,
    /// A PDF that is damaged, too big or too slow to read.
    Pdf,
    /// A bug in a rule: the document is skipped, the folder goes on.
    Internal,
    Other,
}

/// Why one document could not be loaded: its kind, the OS's or decoder's own detail,
/// and the full English message (naming the file) for the command line and JSON.
/// Dereferences to the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentError {
    pub kind: DocumentErrorKind,
    pub detail: Option<String>,
    message: String,
}

impl DocumentError {
    pub fn internal(path: &std::path::Path) -> DocumentError {
        DocumentError {
            kind: DocumentErrorKind::Internal,
            detail: None,
            message: format!(
                "internal error while extracting; please report this file: {}",
                path.display()
            ),
        }
    }
}

impl std::fmt::Display for DocumentError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::ops::Deref for DocumentError {
    type Target = str;
    fn deref(&self) -> &str {
        &self.message
    }
}

impl From<&Error> for DocumentError {
    fn from(error: &Error) -> DocumentError {
        use DocumentErrorKind as Kind;
        let (kind, detail) = match error {
            Error::Io { source, .. } => (Kind::Io, Some(source.to_string())),
            Error::Empty { .. } => (Kind::Empty, None),
            Error::Binary { .. } => (Kind::Binary, None),
            Error::TooLarge {
                size_bytes,
                limit_bytes,
                ..
            } => (
                Kind::TooLarge,
                Some(format!("{size_bytes} > {limit_bytes} bytes")),
            ),
            Error::Undecodable { detail, .. } => (Kind::Undecodable, Some(detail.clone())),
            Error::Walk { detail, .. } => (Kind::Walk, Some(detail.clone())),
            Error::Docx { detail, .. } => (Kind::Docx, Some(detail.clone())),
            Error::Pdf { problem, .. } => {
                use crate::corpus::pdf::PdfProblem;
                match problem {
                    PdfProblem::NoTextLayer { pages } => {
                        (Kind::ScannedPdf, Some(pages.to_string()))
                    }
                    PdfProblem::Encrypted => (Kind::EncryptedPdf, None),
                    other => (Kind::Pdf, Some(other.to_string())),
                }
            }
            _ => (Kind::Other, None),
        };
        DocumentError {
            kind,
            detail,
            message: error.to_string(),
        }
    }
}

/// The result type of the core library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// An error and its causes, each said once: the core's messages already name their
/// I/O cause, which printing the chain would repeat (`No such file or directory` twice).
pub fn chain_message(error: &(dyn std::error::Error + 'static)) -> String {
    let mut message = String::new();
    let mut cause = Some(error);
    while let Some(current) = cause {
        let text = current.to_string();
        if !message.contains(&text) {
            if !message.is_empty() {
                message.push_str(": ");
            }
            message.push_str(&text);
        }
        cause = current.source();
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_cause_is_said_once() {
        let error = Error::FolderUnreadable {
            source: std::io::Error::from(std::io::ErrorKind::NotFound),
            path: "/gone".into(),
        };
        let message = chain_message(&error);
        assert_eq!(message.matches("not found").count(), 1, "{message}");
        assert!(message.ends_with("/gone"), "{message}");
    }
}
