//! Base64 as Kubernetes decodes Secret `data`: the standard alphabet with
//! padding required; `\r` and `\n` are ignored. The one decoder every rule
//! uses (AFK030, the Airflow settings read from Secrets).

/// Decodes standard base64; `None` when Kubernetes would reject the value.
pub fn decode(s: &str) -> Option<Vec<u8>> {
    let clean: Vec<u8> = s.bytes().filter(|c| *c != b'\r' && *c != b'\n').collect();
    if !clean.len().is_multiple_of(4) {
        return None;
    }
    let mut out = Vec::with_capacity(clean.len() / 4 * 3);
    for (ci, chunk) in clean.chunks(4).enumerate() {
        let last = ci + 1 == clean.len() / 4;
        let mut n = 0u32;
        let mut pad = 0;
        for (i, &c) in chunk.iter().enumerate() {
            let v = match c {
                b'A'..=b'Z' => c - b'A',
                b'a'..=b'z' => c - b'a' + 26,
                b'0'..=b'9' => c - b'0' + 52,
                b'+' => 62,
                b'/' => 63,
                // Padding only at the end of the last chunk.
                b'=' if last && i >= 2 => {
                    pad += 1;
                    0
                }
                _ => return None,
            };
            if pad > 0 && c != b'=' {
                return None;
            }
            n = (n << 6) | u32::from(v);
        }
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..3 - pad]);
    }
    Some(out)
}

/// Decodes to UTF-8 text; `None` when invalid base64 or not UTF-8.
pub fn decode_str(s: &str) -> Option<String> {
    String::from_utf8(decode(s)?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kubernetes_base64() {
        assert_eq!(decode("aGVsbG8=").as_deref(), Some(&b"hello"[..]));
        assert_eq!(decode("aGVs\nbG8=").as_deref(), Some(&b"hello"[..]));
        assert_eq!(decode("").as_deref(), Some(&b""[..]));
        assert_eq!(decode_str("VHJ1ZQ==").as_deref(), Some("True"));
        assert!(decode("aGVsbG8").is_none());
        assert!(decode("<base64_encoded_password>").is_none());
        assert!(decode("a===").is_none());
        assert!(decode("aG=s").is_none());
        assert!(decode("!!").is_none());
    }
}
