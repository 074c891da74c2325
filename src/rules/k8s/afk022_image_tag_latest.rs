use crate::rules::{FileCx, Findings};

use super::sc::{Scope, containers_with};

/// The tag of an image reference (`None` when untagged); digests pin the
/// image and count as a tag (`Some("@digest")`).
pub fn image_tag(image: &str) -> Option<&str> {
    if let Some((_, digest)) = image.split_once('@') {
        return Some(digest);
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    last.split_once(':').map(|(_, t)| t)
}

/// An image reference that a tool fills in before apply, or a placeholder
/// that something replaces (Airflow's pod template files name the worker
/// image `dummy_image` or `placeholder-name`; the executor sets the real one).
fn is_substituted(image: &str) -> bool {
    let lower = image.to_ascii_lowercase();
    image.contains('$')
        || image.contains("{{")
        || (image.starts_with('<') && image.ends_with('>'))
        || lower.contains("dummy")
        || lower.contains("placeholder")
        || has_upper_case_name(image)
}

/// Image repository names are lower case; an upper-case one (`IMAGE_URL`,
/// `REGION-docker.pkg.dev/PROJECT_ID/app`) is a placeholder to fill in. Tags
/// may be upper case.
fn has_upper_case_name(image: &str) -> bool {
    let name = image.split('@').next().unwrap_or(image);
    let name = match name.rsplit_once('/') {
        Some((path, last)) => {
            &name[..path.len() + 1 + last.split(':').next().unwrap_or(last).len()]
        }
        None => name.split(':').next().unwrap_or(name),
    };
    name.chars().any(|c| c.is_ascii_uppercase())
}

crate::rule!(Afk022, "AFK022", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        for (c, img) in containers_with(cx, out.rule(), Scope::PODS, "image") {
            {
                let Some(image) = img.as_str().map(str::trim).filter(|s| !s.is_empty()) else {
                    continue;
                };
                let problem = match image_tag(image) {
                    // A variable substituted before apply (`$IMAGE`,
                    // `{{ .image }}`, `<image>`) or a placeholder: the real
                    // reference, tag included, is not in the file. An
                    // explicit `:latest` is reported whatever the name.
                    None if is_substituted(image) => continue,
                    None => "has no tag (it means `latest`)",
                    Some("latest") => "uses the `latest` tag",
                    Some(_) => continue,
                };
                out.push(c.finding(img.span(), format_args!("image `{image}` {problem}")));
            }
        }
    }
});

#[cfg(test)]
mod tests {
    use super::image_tag;

    #[test]
    fn tags() {
        assert_eq!(image_tag("nginx"), None);
        assert_eq!(image_tag("registry:5000/nginx"), None);
        assert_eq!(image_tag("registry:5000/nginx:1.2"), Some("1.2"));
        assert_eq!(image_tag("nginx:latest"), Some("latest"));
        assert_eq!(image_tag("nginx@sha256:abc"), Some("sha256:abc"));
        assert!(super::has_upper_case_name("IMAGE_URL"));
        assert!(super::has_upper_case_name(
            "REGION-docker.pkg.dev/PROJECT_ID/app"
        ));
        assert!(!super::has_upper_case_name("registry:5000/nginx:RC1"));
        assert!(!super::has_upper_case_name("nginx:Latest"));
    }
}
