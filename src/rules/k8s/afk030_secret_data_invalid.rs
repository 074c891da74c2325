use crate::finding::Finding;
use crate::rules::FileCx;

use super::util::manifests;

/// Decodes standard base64 (padding required) the way Kubernetes' JSON
/// decoder does: `\r` and `\n` are ignored. None if invalid.
pub fn decode_base64(s: &str) -> Option<Vec<u8>> {
    let mut vals: Vec<u8> = Vec::with_capacity(s.len());
    let mut pad = 0usize;
    for b in s.bytes() {
        let v = match b {
            b'\r' | b'\n' => continue,
            b'=' => {
                pad += 1;
                continue;
            }
            _ if pad > 0 => return None,
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        vals.push(v);
    }
    if pad > 2 || !(vals.len() + pad).is_multiple_of(4) || (pad > 0 && vals.len().is_multiple_of(4))
    {
        return None;
    }
    let mut out = Vec::with_capacity(vals.len() * 3 / 4);
    for chunk in vals.chunks(4) {
        let n = chunk.iter().fold(0u32, |acc, &v| (acc << 6) | v as u32) << (6 * (4 - chunk.len()));
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        match chunk.len() {
            4 => out.extend_from_slice(&bytes),
            3 => out.extend_from_slice(&bytes[..2]),
            2 => out.push(bytes[0]),
            _ => return None,
        }
    }
    Some(out)
}

/// A template placeholder rather than a real value.
pub fn is_placeholder(v: &str) -> bool {
    let t = v.trim();
    if t.len() >= 3 && t.starts_with('<') && t.ends_with('>') {
        return true;
    }
    if (t.starts_with("${") && t.ends_with('}')) || (t.starts_with("{{") && t.ends_with("}}")) {
        return true;
    }
    let l = t.to_ascii_lowercase();
    matches!(
        l.as_str(),
        "changeme"
            | "change_me"
            | "change-me"
            | "replaceme"
            | "replace_me"
            | "replace-me"
            | "todo"
            | "placeholder"
    ) || (l.len() >= 3 && l.bytes().all(|b| b == b'x'))
        || l.starts_with("your_")
        || l.starts_with("your-")
}

crate::rule!(Afk030, "AFK030", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Vec<Finding>) {
        let Some(y) = manifests(cx) else { return };
        for obj in y
            .objects
            .iter()
            .filter(|o| o.kind == "Secret" && o.api_version == "v1")
        {
            let node = obj.node(&y.stream);
            if let Some(data) = node.get("data") {
                for (k, v) in data.entries() {
                    let key = k.as_str().unwrap_or("");
                    let Some(value) = v.as_str() else { continue };
                    let problem = if is_placeholder(value) {
                        "holds a placeholder, not a value"
                    } else {
                        match decode_base64(value) {
                            None => "is not valid base64",
                            Some(bytes) if is_placeholder(&String::from_utf8_lossy(&bytes)) => {
                                "decodes to a placeholder, not a value"
                            }
                            Some(_) => continue,
                        }
                    };
                    out.push(
                        Finding::new("AFK030", v.span(), format!("{}: `data.{key}` {problem}", obj.display()))
                            .with_secret(v.span())
                            .with_fix("Put the base64-encoded secret value under `data` (or the plain value under `stringData`), generated from your secret store."),
                    );
                }
            }
            if let Some(data) = node.get("stringData") {
                for (k, v) in data.entries() {
                    let key = k.as_str().unwrap_or("");
                    if v.as_str().is_some_and(is_placeholder) {
                        out.push(
                            Finding::new(
                                "AFK030",
                                v.span(),
                                format!("{}: `stringData.{key}` holds a placeholder, not a value", obj.display()),
                            )
                            .with_secret(v.span())
                            .with_fix("Replace the placeholder with the real value from your secret store (not committed to the repository)."),
                        );
                    }
                }
            }
        }
    }
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64() {
        assert_eq!(decode_base64("aGVsbG8=").as_deref(), Some(&b"hello"[..]));
        assert_eq!(decode_base64("aGVs\nbG8=").as_deref(), Some(&b"hello"[..]));
        assert_eq!(decode_base64("").as_deref(), Some(&b""[..]));
        assert!(decode_base64("aGVsbG8").is_none());
        assert!(decode_base64("<base64_encoded_password>").is_none());
        assert!(decode_base64("a===").is_none());
        assert!(is_placeholder("<base64_encoded_password>"));
        assert!(is_placeholder("CHANGEME"));
        assert!(!is_placeholder("s3cr3t"));
    }
}
