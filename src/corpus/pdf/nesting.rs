//! Refuses PDFs nested deeper than any real one before they are parsed: lopdf and
//! pdf-extract parse arrays and dictionaries by recursion, and `[[[[…` a hundred
//! thousand deep overflows the stack, which aborts the process (no `catch_unwind` helps).

use std::io::Read;

/// Deeper than this is refused. Real PDFs nest a handful of levels.
pub const MAX_DEPTH: usize = 512;
/// Object streams are inflated up to this much for the check.
const MAX_INFLATED: u64 = 64 << 20;

/// The depth found, if the file's own syntax or one of its object streams (objects
/// compressed together, which lopdf parses while loading) nests deeper than allowed.
pub fn too_deep_in_file(bytes: &[u8]) -> Option<usize> {
    let mut object_streams = Vec::new();
    let depth = scan(bytes, true, &mut object_streams);
    if depth > MAX_DEPTH {
        return Some(depth);
    }
    object_streams.into_iter().find_map(|data| {
        let mut inflated = Vec::new();
        let mut decoder = flate2::read::ZlibDecoder::new(data).take(MAX_INFLATED);
        // A stream that does not inflate is lopdf's to report; what did inflate is checked.
        let _ = decoder.read_to_end(&mut inflated);
        let depth = scan(&inflated, false, &mut Vec::new());
        (depth > MAX_DEPTH).then_some(depth)
    })
}

/// The depth found, if a page's content stream or a form nests deeper than allowed.
pub fn too_deep_in_content(document: &pdf_extract::Document) -> Option<usize> {
    let pages = document
        .get_pages()
        .into_values()
        .filter_map(|page| document.get_page_content(page).ok());
    let forms = document.objects.values().filter_map(|object| {
        let stream = object.as_stream().ok()?;
        let subtype = stream.dict.get(b"Subtype").and_then(|s| s.as_name()).ok()?;
        (subtype == b"Form").then(|| {
            stream
                .decompressed_content()
                .unwrap_or_else(|_| stream.content.clone())
        })
    });
    pages.chain(forms).find_map(|content| {
        let depth = scan(&content, false, &mut Vec::new());
        (depth > MAX_DEPTH).then_some(depth)
    })
}

/// The deepest nesting of `[ ]` and `<< >>` in PDF syntax, skipping strings, comments and
/// (with `streams`) the data of streams, whose object streams are collected. Stops
/// counting once past the limit.
fn scan<'a>(bytes: &'a [u8], streams: bool, object_streams: &mut Vec<&'a [u8]>) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut i = 0;
    let mut dictionary_start = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'(' => i = skip_string(bytes, i),
            b'%' => {
                while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
            }
            b'[' => depth += 1,
            b']' => depth = depth.saturating_sub(1),
            b'<' if bytes.get(i + 1) == Some(&b'<') => {
                if depth == 0 {
                    dictionary_start = i;
                }
                depth += 1;
                i += 1;
            }
            b'>' if bytes.get(i + 1) == Some(&b'>') => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            b'<' => {
                while i < bytes.len() && bytes[i] != b'>' {
                    i += 1;
                }
            }
            b's' if streams && bytes[i..].starts_with(b"stream") => {
                let data_start = i + b"stream".len();
                let data_end = find(&bytes[data_start..], b"endstream")
                    .map_or(bytes.len(), |at| data_start + at);
                let dictionary = &bytes[dictionary_start..i];
                if find(dictionary, b"/ObjStm").is_some() {
                    let data = &bytes[data_start..data_end];
                    let data = data.strip_prefix(b"\r").unwrap_or(data);
                    object_streams.push(data.strip_prefix(b"\n").unwrap_or(data));
                }
                i = data_end + b"endstream".len() - 1;
            }
            _ => {}
        }
        deepest = deepest.max(depth);
        if deepest > MAX_DEPTH {
            return deepest;
        }
        i += 1;
    }
    deepest
}

/// The index of the `)` that closes the literal string opened at `open` (strings nest
/// their parentheses and escape them with `\`).
fn skip_string(bytes: &[u8], open: usize) -> usize {
    let mut level = 0usize;
    let mut i = open;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'(' => level += 1,
            b')' => {
                level -= 1;
                if level == 0 {
                    return i;
                }
            }
            _ => {}
        }
        i += 1;
    }
    i
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_is_counted_outside_strings_and_streams() {
        assert_eq!(
            scan(b"<< /A [1 [2] (]]]]) <</B 1>> ] >>", true, &mut Vec::new()),
            3
        );
        let deep = [b"[".repeat(600), b"]".repeat(600)].concat();
        assert!(scan(&deep, true, &mut Vec::new()) > MAX_DEPTH);
        let mut in_string = b"(".to_vec();
        in_string.extend(b"[".repeat(600));
        in_string.push(b')');
        assert_eq!(scan(&in_string, true, &mut Vec::new()), 0);
        let mut in_stream = b"<< /Length 600 >>\nstream\n".to_vec();
        in_stream.extend(b"[".repeat(600));
        in_stream.extend(b"\nendstream");
        assert_eq!(scan(&in_stream, true, &mut Vec::new()), 1);
    }

    #[test]
    fn a_deep_object_stream_is_found_compressed() {
        use std::io::Write;
        let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        encoder
            .write_all(&[b"<<".repeat(5000), b">>".repeat(5000)].concat())
            .unwrap();
        let data = encoder.finish().unwrap();
        let mut pdf =
            b"%PDF-1.5\n5 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode >>\nstream\n"
                .to_vec();
        pdf.extend(&data);
        pdf.extend(b"\nendstream\nendobj\n");
        assert!(too_deep_in_file(&pdf).is_some());
        assert!(too_deep_in_file(b"%PDF-1.4\n1 0 obj\n<< /A [1 2] >>\nendobj\n").is_none());
    }
}
