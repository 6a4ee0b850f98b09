//! Bytes to text: BOM sniffing, then strict UTF-8, then a detector for legacy encodings
//! (in practice GB18030/GBK for Chinese news). Line ends become LF.

use encoding_rs::{Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE};

/// Text decoded from a file, with the name of the encoding that produced it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
}

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
    // Text files never hold NUL; UTF-16 without a BOM is too rare to guess at.
    if memchr_nul(bytes) {
        return Err(DecodeError::Binary);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return finish(text, "UTF-8");
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let mut guess = detector.guess(None, chardetng::Utf8Detection::Deny);
    if guess == encoding_rs::GBK || guess == UTF_8 {
        guess = GB18030;
    }
    // On short texts the detector sometimes prefers Big5 for GB18030 bytes (which then
    // fail to decode); GB18030 is the likelier encoding of a Chinese news file.
    for encoding in [guess, GB18030] {
        let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
        if !had_errors {
            return finish(&text, encoding.name());
        }
    }
    Err(DecodeError::Malformed(guess.name()))
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
}
