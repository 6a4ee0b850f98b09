//! Which district an item belongs to. Document structure comes first: a round-up's
//! section heading (`小店区` on a line of its own) or an interview's subject
//! (`——访…清徐县委书记王剑峰`) covers everything up to the next heading. Without
//! structure, the nearest district mentioned before the item in the same paragraph.

use crate::corpus::structure::{ParagraphKind, Structure, heading_text};

use super::district::{Place, Places};
use super::text::Chunk;

/// How to choose a district when no section decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// The last district mentioned before the item in its paragraph.
    Nearest,
    /// As `Nearest`, else the county the whole article is about (the one district its
    /// headline names: `【走进县城看发展】江西寻乌：…`).
    NearestOrArticle,
    /// The paragraph's only district if it names one; else as `Nearest`. For dates,
    /// which usually open the sentence about the place they date.
    ParagraphTopic,
}

/// Per-document attribution state.
pub struct Context<'a> {
    places: &'a Places,
    chunks: &'a [Chunk],
    /// Place index of the section subject of each paragraph.
    subject: Vec<Option<usize>>,
    /// District mentions per paragraph, in order: (chunk, byte start, byte end, place).
    mentions: Vec<Vec<(usize, usize, usize, usize)>>,
    /// The one district the article's headline names, if it names exactly one.
    article_subject: Option<usize>,
}

impl<'a> Context<'a> {
    pub fn new(structure: &Structure, chunks: &'a [Chunk], places: &'a Places) -> Context<'a> {
        let count = structure.paragraphs.len();
        let mut mentions: Vec<Vec<(usize, usize, usize, usize)>> = vec![Vec::new(); count];
        for m in &places.mentions {
            if places.is_district(m) {
                let paragraph = chunks[m.chunk].paragraph;
                mentions[paragraph].push((m.chunk, m.bytes.start, m.bytes.end, m.place));
            }
        }
        // Chunk indices of each paragraph, found once: looking them up per heading made
        // a file of many short headings quadratic.
        let mut paragraph_chunks: Vec<Vec<usize>> = vec![Vec::new(); count];
        for (index, chunk) in chunks.iter().enumerate() {
            if let Some(list) = paragraph_chunks.get_mut(chunk.paragraph) {
                list.push(index);
            }
        }
        let mut subject = vec![None; count];
        let mut current: Option<usize> = None;
        for (index, paragraph) in structure.paragraphs.iter().enumerate() {
            match paragraph.kind {
                ParagraphKind::Heading => {
                    current = heading_district(chunks, &mentions[index], &paragraph_chunks[index]);
                }
                ParagraphKind::Subheading => {
                    let text: String = paragraph_chunks[index]
                        .iter()
                        .map(|&c| chunks[c].text.as_str())
                        .collect();
                    current = if text.contains('访') {
                        mentions[index].last().map(|m| m.3)
                    } else {
                        None
                    };
                    // The interview's headline, just above, is about the same place.
                    if current.is_some()
                        && index > 0
                        && structure.paragraphs[index - 1].kind == ParagraphKind::Heading
                    {
                        subject[index - 1] = current;
                    }
                }
                _ => {}
            }
            subject[index] = subject[index].or(current);
        }
        let headline = structure
            .paragraphs
            .iter()
            .position(|p| p.kind == ParagraphKind::Heading);
        let article_subject = headline.and_then(|index| {
            let first = mentions[index].first()?.3;
            mentions[index]
                .iter()
                .all(|m| m.3 == first)
                .then_some(first)
        });
        Context {
            places,
            chunks,
            subject,
            mentions,
            article_subject,
        }
    }

    /// The district for an item starting at byte `byte` of chunk `chunk`.
    pub fn district_for(&self, chunk: usize, byte: usize, rule: Rule) -> Option<&'a Place> {
        let paragraph = self.chunks[chunk].paragraph;
        if let Some(place) = self.subject[paragraph] {
            return Some(&self.places.places[place]);
        }
        let mentions = &self.mentions[paragraph];
        if rule == Rule::ParagraphTopic {
            let first = mentions.first()?.3;
            if mentions.iter().all(|m| m.3 == first) {
                return Some(&self.places.places[first]);
            }
        }
        let nearest = mentions
            .iter()
            .rev()
            .find(|(c, _, end, _)| *c < chunk || (*c == chunk && *end <= byte))
            .map(|m| m.3);
        let fallback = (rule == Rule::NearestOrArticle)
            .then_some(self.article_subject)
            .flatten();
        nearest.or(fallback).map(|place| &self.places.places[place])
    }
}

/// A heading that consists of one district name alone starts that district's section.
fn heading_district(
    chunks: &[Chunk],
    mentions: &[(usize, usize, usize, usize)],
    paragraph_chunks: &[usize],
) -> Option<usize> {
    let [(chunk, start, end, place)] = mentions else {
        return None;
    };
    let chunk_text = &chunks[*chunk].text;
    let only_chunk = paragraph_chunks.len() == 1;
    (only_chunk && heading_text(chunk_text) == &chunk_text[*start..*end]).then_some(*place)
}
