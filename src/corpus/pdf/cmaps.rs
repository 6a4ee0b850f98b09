//! The predefined Adobe-GB1 CMaps, which `pdf-extract` does not read (it panics on any
//! named encoding but Identity-H/V).
//!
//! Older Chinese PDF producers write text in a non-embedded font (`STSong-Light`,
//! `SimSun`) through a predefined CMap and no ToUnicode map: the codes are Unicode
//! (`UniGB-UCS2-H`, `UniGB-UTF16-H`) or GB 2312/GBK/GB 18030 bytes (`GB-EUC-H`,
//! `GBK-EUC-H`, `GBK2K-H`, …). Before `pdf-extract` sees such a font, its named encoding
//! is replaced by an embedded CMap with the same code lengths and the identity as CIDs,
//! and a ToUnicode map is added from the code's own meaning. Widths are the font's
//! default, which for these full-width fonts is what layout needs.

use pdf_extract::{Dictionary, Document, Object, ObjectId, Stream};

/// How a predefined CMap's codes are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Codes {
    /// Two-byte codes that are UCS-2 code points.
    Ucs2,
    /// One byte for ASCII, two for GBK (a superset of GB 2312 EUC).
    Gbk,
}

fn codes_of(name: &[u8]) -> Option<Codes> {
    let name = std::str::from_utf8(name).ok()?;
    let name = name
        .strip_suffix("-H")
        .or_else(|| name.strip_suffix("-V"))?;
    match name {
        "UniGB-UCS2" | "UniGB-UTF16" | "UniCNS-UCS2" | "UniCNS-UTF16" | "UniJIS-UCS2"
        | "UniJIS-UTF16" | "UniKS-UCS2" | "UniKS-UTF16" => Some(Codes::Ucs2),
        "GB-EUC" | "GBpc-EUC" | "GBK-EUC" | "GBKp-EUC" | "GBK2K" => Some(Codes::Gbk),
        _ => None,
    }
}

/// Rewrites every Type0 font that names a predefined CMap this module knows; leaves the
/// rest alone. Fonts whose encoding no reader here knows are left for `pdf-extract` to
/// refuse, which [`super::pdf_to_text`] reports as a damaged file.
pub fn rewrite_predefined_cmaps(document: &mut Document) {
    let fonts: Vec<(ObjectId, Codes)> = document
        .objects
        .iter()
        .filter_map(|(id, object)| {
            let dict = object.as_dict().ok()?;
            if dict.get(b"Subtype").and_then(Object::as_name).ok()? != b"Type0" {
                return None;
            }
            let encoding = dict.get(b"Encoding").and_then(Object::as_name).ok()?;
            Some((*id, codes_of(encoding)?))
        })
        .collect();
    if fonts.is_empty() {
        return;
    }
    let mut made = std::collections::HashMap::new();
    for (font, codes) in fonts {
        let (encoding, to_unicode) = *made.entry(codes).or_insert_with(|| {
            let encoding = document.add_object(cmap_stream(encoding_cmap(codes)));
            let to_unicode = document.add_object(cmap_stream(to_unicode_cmap(codes)));
            (encoding, to_unicode)
        });
        if let Ok(Object::Dictionary(dict)) = document.get_object_mut(font) {
            dict.set("Encoding", Object::Reference(encoding));
            if !dict.has(b"ToUnicode") {
                dict.set("ToUnicode", Object::Reference(to_unicode));
            }
        }
    }
}

fn cmap_stream(text: String) -> Stream {
    Stream::new(Dictionary::new(), text.into_bytes())
}

/// An embedded CMap with the predefined one's code space and code = CID.
///
/// The code space ranges are written with twice the bytes they mean (`<0000FFFF>` for a
/// two-byte range up to FFFF): `adobe-cmap-parser` 0.4 takes a range's code length to be
/// half its byte count. The values are what they should be either way.
fn encoding_cmap(codes: Codes) -> String {
    let space = match codes {
        Codes::Ucs2 => "1 begincodespacerange\n<00000000> <0000FFFF>\nendcodespacerange\n",
        Codes::Gbk => {
            "2 begincodespacerange\n<0000> <0080>\n<00008140> <0000FEFE>\nendcodespacerange\n"
        }
    };
    format!(
        "{}{space}1 begincidrange\n<0000> <FFFF> 0\nendcidrange\n{}",
        HEAD, TAIL
    )
}

/// A ToUnicode map from every code (= CID) of the code space to its character.
fn to_unicode_cmap(codes: Codes) -> String {
    let mut body = String::from(HEAD);
    match codes {
        Codes::Ucs2 => {
            // Surrogates are not characters on their own; the rest maps to itself.
            let blocks: Vec<u32> = (0..=0xFFu32)
                .filter(|hi| !(0xD8..=0xDF).contains(hi))
                .collect();
            for chunk in blocks.chunks(100) {
                body.push_str(&format!("{} beginbfrange\n", chunk.len()));
                for hi in chunk {
                    body.push_str(&format!("<{hi:02X}00> <{hi:02X}FF> <{hi:02X}00>\n"));
                }
                body.push_str("endbfrange\n");
            }
        }
        Codes::Gbk => {
            body.push_str("1 beginbfrange\n<00> <7F> <0000>\nendbfrange\n");
            let mut entries = Vec::new();
            for lead in 0x81u32..=0xFE {
                for trail in 0x40u32..=0xFE {
                    if trail == 0x7F {
                        continue;
                    }
                    let bytes = [lead as u8, trail as u8];
                    let (text, _, malformed) = encoding_rs::GBK.decode(&bytes);
                    let mut chars = text.chars();
                    if let (false, Some(c), None) = (malformed, chars.next(), chars.next())
                        && (c as u32) <= 0xFFFF
                        && c != '\u{FFFD}'
                    {
                        entries.push(format!("<{lead:02X}{trail:02X}> <{:04X}>\n", c as u32));
                    }
                }
            }
            for chunk in entries.chunks(100) {
                body.push_str(&format!("{} beginbfchar\n", chunk.len()));
                chunk.iter().for_each(|entry| body.push_str(entry));
                body.push_str("endbfchar\n");
            }
        }
    }
    body.push_str(TAIL);
    body
}

const HEAD: &str = "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
/CMapName /PolicyLens-Predefined def\n/CMapType 2 def\n";
const TAIL: &str = "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_predefined_cmaps_are_recognised_and_others_are_not() {
        assert_eq!(codes_of(b"UniGB-UCS2-H"), Some(Codes::Ucs2));
        assert_eq!(codes_of(b"GBK-EUC-V"), Some(Codes::Gbk));
        assert_eq!(codes_of(b"Identity-H"), None);
        assert_eq!(codes_of(b"90ms-RKSJ-H"), None);
    }
}
