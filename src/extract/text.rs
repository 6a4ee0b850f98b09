//! The text the rules run on: each logical paragraph with its page breaks removed, cut
//! into chunks of whole sentences, with a map back to character offsets in the document.

use std::ops::Range;

use crate::corpus::structure::{Paragraph, ParagraphKind, Structure};

/// Chunks never grow past this many bytes, so that per-chunk work stays linear even for
/// a 10 MB article with no line breaks.
const MAX_CHUNK_BYTES: usize = 6 * 1024;

/// A run of whole sentences from one paragraph, as one string without line breaks.
#[derive(Debug, Clone)]
pub struct Chunk {
    pub text: String,
    /// Index of the paragraph in [`Structure::paragraphs`].
    pub paragraph: usize,
    pub kind: ParagraphKind,
    /// For each byte offset of `text` (and one past the end), the character offset in the
    /// document. Only entries at character boundaries are meaningful.
    offsets: Vec<u32>,
}

impl Chunk {
    /// Character offset in the document of byte `byte` of this chunk.
    pub fn doc_char(&self, byte: usize) -> usize {
        self.offsets[byte] as usize
    }

    /// The document character range of a byte range of this chunk. The end maps to one
    /// past the last character, so a span never swallows a page break after it.
    pub fn doc_range(&self, bytes: Range<usize>) -> Range<usize> {
        let start = self.doc_char(bytes.start);
        if bytes.end == bytes.start {
            return start..start;
        }
        let last_char_start = self.text[..bytes.end]
            .char_indices()
            .next_back()
            .map(|(i, _)| i)
            .unwrap_or(bytes.start);
        start..self.doc_char(last_char_start) + 1
    }
}

/// Maps byte offsets of the document to character offsets.
pub struct CharIndex {
    /// Character offset at every byte that starts a character; other entries repeat.
    table: Vec<u32>,
}

impl CharIndex {
    pub fn new(text: &str) -> CharIndex {
        let mut table = Vec::with_capacity(text.len() + 1);
        for (chars, c) in text.chars().enumerate() {
            table.extend(std::iter::repeat_n(chars as u32, c.len_utf8()));
        }
        table.push(text.chars().count() as u32);
        CharIndex { table }
    }

    pub fn char_at(&self, byte: usize) -> usize {
        self.table[byte] as usize
    }
}

/// Byte offsets to character offsets and back, walking the text once when the offsets
/// asked for only grow (matches found left to right) and keeping no table, unlike
/// [`CharIndex`]: the lexicon's and the full-text search's matches over a whole corpus.
/// An offset before the last one asked for is counted again from the start.
pub struct CharCursor<'a> {
    text: &'a str,
    byte: usize,
    char: usize,
}

impl<'a> CharCursor<'a> {
    pub fn new(text: &'a str) -> Self {
        CharCursor {
            text,
            byte: 0,
            char: 0,
        }
    }

    /// The character offset of byte offset `byte` (a character boundary).
    pub fn char_at(&mut self, byte: usize) -> usize {
        if byte < self.byte {
            (self.byte, self.char) = (0, 0);
        }
        self.char += self.text[self.byte..byte].chars().count();
        self.byte = byte;
        self.char
    }

    /// The byte offset of character offset `char` (the text's length past its end).
    pub fn byte_at(&mut self, char: usize) -> usize {
        if char < self.char {
            (self.byte, self.char) = (0, 0);
        }
        let rest = &self.text[self.byte..];
        let step = rest
            .char_indices()
            .nth(char - self.char)
            .map_or(rest.len(), |(b, _)| b);
        self.byte += step;
        self.char = char;
        self.byte
    }
}

/// Builds the chunks of every paragraph.
pub fn chunks(text: &str, structure: &Structure, index: &CharIndex) -> Vec<Chunk> {
    let mut out = Vec::new();
    for (paragraph_index, paragraph) in structure.paragraphs.iter().enumerate() {
        chunk_paragraph(text, paragraph, paragraph_index, index, &mut out);
    }
    out
}

fn chunk_paragraph(
    text: &str,
    paragraph: &Paragraph,
    paragraph_index: usize,
    index: &CharIndex,
    out: &mut Vec<Chunk>,
) {
    let mut current = Chunk {
        text: String::new(),
        paragraph: paragraph_index,
        kind: paragraph.kind,
        offsets: Vec::new(),
    };
    for piece in &paragraph.pieces {
        let mut sentence_start = piece.start;
        for (i, c) in text[piece.clone()].char_indices() {
            let at = piece.start + i;
            let end = at + c.len_utf8();
            let sentence_end = matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | ';');
            if sentence_end || end - sentence_start >= MAX_CHUNK_BYTES {
                push_bytes(&mut current, text, sentence_start..end, index);
                sentence_start = end;
                if current.text.len() >= MAX_CHUNK_BYTES / 2 {
                    finish(&mut current, index, end);
                    out.push(std::mem::replace(
                        &mut current,
                        Chunk {
                            text: String::new(),
                            paragraph: paragraph_index,
                            kind: paragraph.kind,
                            offsets: Vec::new(),
                        },
                    ));
                }
            }
        }
        push_bytes(&mut current, text, sentence_start..piece.end, index);
    }
    if !current.text.is_empty() {
        let end = paragraph.pieces.last().map(|p| p.end).unwrap_or(0);
        finish(&mut current, index, end);
        out.push(current);
    }
}

fn push_bytes(chunk: &mut Chunk, text: &str, range: Range<usize>, index: &CharIndex) {
    for byte in range.clone() {
        chunk.offsets.push(index.char_at(byte) as u32);
    }
    chunk.text.push_str(&text[range]);
}

fn finish(chunk: &mut Chunk, index: &CharIndex, end_byte: usize) {
    chunk.offsets.push(index.char_at(end_byte) as u32);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cursor agrees with the table, forwards, backwards and past the end.
    #[test]
    fn a_cursor_maps_offsets_as_the_index_does() {
        let text = "清徐县ab投资１２亿元。";
        let index = CharIndex::new(text);
        let mut cursor = CharCursor::new(text);
        let boundaries: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        for &byte in boundaries.iter().chain(boundaries.iter().rev()) {
            let char = cursor.char_at(byte);
            assert_eq!(char, index.char_at(byte));
            assert_eq!(cursor.byte_at(char), byte);
        }
        assert_eq!(cursor.byte_at(100), text.len());
    }

    #[test]
    fn offsets_survive_page_breaks() {
        let text = "一段很长的正文内容在这里继续写下去直到超过标题长度的限制为止还要再写一些文字才行玖方、丰源100兆瓦储\n\n能项目，完。";
        let structure = Structure::parse(text);
        let index = CharIndex::new(text);
        let chunks = chunks(text, &structure, &index);
        assert_eq!(chunks.len(), 1);
        let chunk = &chunks[0];
        let start = chunk.text.find("丰源").unwrap();
        let end = chunk.text.find("，完").unwrap();
        let range = chunk.doc_range(start..end);
        let doc: Vec<char> = text.chars().collect();
        let span: String = doc[range].iter().collect();
        assert_eq!(span, "丰源100兆瓦储\n\n能项目");
    }
}
