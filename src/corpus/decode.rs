//! Bytes to text: BOM sniffing, then strict UTF-8, then a detector for legacy encodings
//! (in practice GB18030/GBK for Chinese news). Line ends become LF.

use encoding_rs::{Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE};

/// Text decoded from a file, with the name of the encoding that produced it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
    /// What the reader should know about the decoding (invalid bytes replaced, an
    /// encoding guessed); the caller adds the file's name.
    pub warning: Option<String>,
}

/// Up to this share of invalid bytes (a truncated or spliced file), text that is
/// otherwise UTF-8 is read as UTF-8 with replacement characters.
const MAX_INVALID_UTF8_SHARE: f64 = 0.01;

/// Why bytes could not be turned into text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    Empty,
    Binary,
    Malformed(&'static str),
}

/// Decodes `bytes` to LF-normalised text.
///
/// UTF-8 (with or without BOM) and UTF-16 with BOM are recognised exactly; anything else
/// goes through chardetng, which is trained on the web's legacy encodings and picks
/// GBK/GB18030 for Chinese. GBK is widened to GB18030, its superset, because real files
/// labelled GBK hold GB18030-only sequences (e.g. 0xFD 0xA3).
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let body = &bytes[bom_len..];
        let (text, had_errors) = encoding.decode_without_bom_handling(body);
        if had_errors {
            return Err(DecodeError::Malformed(encoding.name()));
        }
        let name = if encoding == UTF_8 {
            "UTF-8 (BOM)"
        } else if encoding == UTF_16LE {
            "UTF-16LE"
        } else if encoding == UTF_16BE {
            "UTF-16BE"
        } else {
            encoding.name()
        };
        return finish(&text, name);
    }
    // Text files never hold NUL, except UTF-16 written without a BOM: its ASCII
    // characters put a NUL on one side of every pair.
    if memchr_nul(bytes) {
        return utf16_without_bom(bytes).ok_or(DecodeError::Binary);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return finish(text, "UTF-8");
    }
    if let Some(decoded) = mostly_utf8(bytes) {
        return Ok(decoded);
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let mut guess = detector.guess(None, chardetng::Utf8Detection::Deny);
    if guess == encoding_rs::GBK || guess == UTF_8 {
        guess = GB18030;
    }
    // On short texts the detector sometimes prefers Big5 for GB18030 bytes (which then
    // fail to decode); GB18030 is the likelier encoding of a Chinese news file.
    // Chinese encodings first; a single-byte Western one only when nothing else fits,
    // and then with a warning, since its text is rarely what was meant.
    for encoding in [GB18030, guess] {
        let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
        if !had_errors {
            let mut decoded = finish(&text, encoding.name())?;
            if encoding != GB18030 && encoding != encoding_rs::BIG5 {
                decoded.warning = Some(format!(
                    "not UTF-8 or a Chinese encoding; read as {}, which may be wrong",
                    encoding.name()
                ));
            }
            return Ok(decoded);
        }
    }
    Err(DecodeError::Malformed(guess.name()))
}

/// UTF-8 with a few invalid bytes (a file cut in the middle of a character, two files
/// spliced): decoded as UTF-8 with U+FFFD for each bad sequence, and a warning naming
/// the first bad byte's offset. `None` when the bytes are not mostly UTF-8.
fn mostly_utf8(bytes: &[u8]) -> Option<Decoded> {
    let mut invalid = 0usize;
    let mut multibyte = 0usize;
    let mut first_bad = None;
    let mut at = 0usize;
    for chunk in bytes.utf8_chunks() {
        multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        at += chunk.valid().len();
        if !chunk.invalid().is_empty() {
            first_bad.get_or_insert(at);
            invalid += chunk.invalid().len();
            at += chunk.invalid().len();
        }
    }
    let share = invalid as f64 / bytes.len() as f64;
    if multibyte == 0 || share > MAX_INVALID_UTF8_SHARE {
        return None;
    }
    let text = String::from_utf8_lossy(bytes);
    let mut decoded = finish(&text, "UTF-8").ok()?;
    decoded.warning = Some(format!(
        "{invalid} invalid UTF-8 byte(s), the first at byte offset {}; replaced with U+FFFD",
        first_bad.unwrap_or(0)
    ));
    Some(decoded)
}

/// UTF-16 without a byte order mark: every NUL on the same side of its pair, and the
/// whole decoding cleanly with no control characters but line ends and tabs.
fn utf16_without_bom(bytes: &[u8]) -> Option<Decoded> {
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    let nul_at = |parity: usize| {
        bytes
            .iter()
            .enumerate()
            .filter(|(i, b)| **b == 0 && i % 2 == parity)
            .count()
    };
    let (even, odd) = (nul_at(0), nul_at(1));
    let (encoding, name) = match (even, odd) {
        (0, n) if n > 0 => (UTF_16LE, "UTF-16LE"),
        (n, 0) if n > 0 => (UTF_16BE, "UTF-16BE"),
        _ => return None,
    };
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    let clean = text
        .chars()
        .all(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t'));
    if had_errors || !clean {
        return None;
    }
    let mut decoded = finish(&text, name).ok()?;
    decoded.warning = Some(format!("no byte order mark; read as {name}"));
    Some(decoded)
}

fn memchr_nul(bytes: &[u8]) -> bool {
    bytes.contains(&0)
}

fn finish(text: &str, encoding: &'static str) -> Result<Decoded, DecodeError> {
    if text.contains('\0') {
        return Err(DecodeError::Binary);
    }
    Ok(Decoded {
        text: normalize_line_ends(text),
        encoding,
        warning: None,
    })
}

/// CRLF and lone CR become LF.
pub fn normalize_line_ends(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_owned();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        let plain = decode("清徐县\r\n".as_bytes()).unwrap();
        assert_eq!(plain.text, "清徐县\n");
        assert_eq!(plain.encoding, "UTF-8");
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("清徐县".as_bytes());
        let with_bom = decode(&bom).unwrap();
        assert_eq!(with_bom.text, "清徐县");
        assert_eq!(with_bom.encoding, "UTF-8 (BOM)");
    }

    #[test]
    fn utf16_with_bom() {
        let mut le = vec![0xFF, 0xFE];
        for unit in "太原市\r".encode_utf16() {
            le.extend_from_slice(&unit.to_le_bytes());
        }
        let decoded = decode(&le).unwrap();
        assert_eq!(decoded.text, "太原市\n");
        assert_eq!(decoded.encoding, "UTF-16LE");
        let mut be = vec![0xFE, 0xFF];
        for unit in "太原市".encode_utf16() {
            be.extend_from_slice(&unit.to_be_bytes());
        }
        assert_eq!(decode(&be).unwrap().encoding, "UTF-16BE");
    }

    #[test]
    fn gb18030_is_detected() {
        let text = "省委书记蓝佛安深入晋城市城区、阳城县调研。项目估算总投资8.16亿元。";
        let (bytes, _, _) = GB18030.encode(text);
        let decoded = decode(&bytes).unwrap();
        assert_eq!(decoded.text, text);
        assert_eq!(decoded.encoding, "gb18030");
    }

    #[test]
    fn empty_and_binary_are_refused() {
        assert_eq!(decode(b""), Err(DecodeError::Empty));
        assert_eq!(decode(b"abc\0def"), Err(DecodeError::Binary));
    }

    /// A UTF-8 file cut inside its last character stays UTF-8: the intact text and a
    /// warning with the byte offset, not windows-1252 garbage.
    #[test]
    fn truncated_utf8_stays_utf8_with_a_warning() {
        let text = "清徐县委书记王剑峰表示，今年将加快清源水城项目建设。".repeat(20);
        let mut bytes = text.as_bytes().to_vec();
        bytes.push(0xE6);
        let decoded = decode(&bytes).unwrap();
        assert_eq!(decoded.encoding, "UTF-8");
        assert_eq!(decoded.text, format!("{text}\u{FFFD}"));
        let warning = decoded.warning.unwrap();
        assert!(
            warning.contains(&format!("byte offset {}", text.len())),
            "{warning}"
        );
    }

    #[test]
    fn utf16_without_bom_is_recognised() {
        let mut le = Vec::new();
        for unit in "清徐县 2024\r\n".encode_utf16() {
            le.extend_from_slice(&unit.to_le_bytes());
        }
        let decoded = decode(&le).unwrap();
        assert_eq!(decoded.text, "清徐县 2024\n");
        assert_eq!(decoded.encoding, "UTF-16LE");
        assert!(decoded.warning.is_some());
        // A binary file with NULs on both sides is still refused.
        assert_eq!(decode(b"\0\x01\x02\0abc\0"), Err(DecodeError::Binary));
    }
}
