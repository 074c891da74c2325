use super::sc::{object_finding, objects};
use crate::rules::{FileCx, Findings};

use crate::secrets::base64::decode as decode_base64;
use crate::secrets::placeholder::is_placeholder;

crate::rule!(Afk030, "AFK030", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        for (obj, node) in objects(cx, |o| o.kind == "Secret" && o.api_version == "v1") {
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
                        object_finding(obj, v.span(), format_args!("`data.{key}` {problem}"))
                            .with_secret(v.span()),
                    );
                }
            }
            if let Some(data) = node.get("stringData") {
                for (k, v) in data.entries() {
                    let key = k.as_str().unwrap_or("");
                    if v.as_str().is_some_and(is_placeholder) {
                        out.push(
                            object_finding(obj, v.span(), format_args!("`stringData.{key}` holds a placeholder, not a value"))
                            .with_secret(v.span())
                            .with_help("Replace the placeholder with the real value from your secret store (not committed to the repository)."),
                        );
                    }
                }
            }
        }
    }
});
