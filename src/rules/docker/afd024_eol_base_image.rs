use super::common::dockerfile;
use crate::dockerfile::image::{self, ImageRef};
use crate::finding::Finding;
use crate::rules::{FileCx, Findings};

/// Why an image is end of life, if it is.
pub fn eol_reason(reference: &str) -> Option<String> {
    let img = ImageRef::parse(reference);
    let tag = img.tag.as_deref()?;
    let mut why = Vec::new();
    if img.is_official("apache/airflow") {
        let t = tag.strip_prefix("slim-").unwrap_or(tag);
        let ver = t.split('-').next().unwrap_or(t);
        if ver.chars().next().is_some_and(|c| c.is_ascii_digit())
            && let Some(date) = image::airflow_eol(ver)
        {
            let major = ver.split('.').next().unwrap_or(ver);
            why.push(format!("Airflow {major} reached end of life on {date}"));
        }
        if let Some(py) = image::python_version_in_tag(t, true) {
            if let Some(date) = image::python_eol(&py) {
                why.push(format!("Python {py} reached end of life on {date}"));
            } else if image::python_is_ancient(&py) {
                why.push(format!("Python {py} is long past end of life"));
            }
        }
    } else if img.is_official("python")
        && let Some(py) = image::python_version_in_tag(tag, false)
    {
        if let Some(date) = image::python_eol(&py) {
            why.push(format!("Python {py} reached end of life on {date}"));
        } else if image::python_is_ancient(&py) {
            why.push(format!("Python {py} is long past end of life"));
        }
    }
    if why.is_empty() {
        None
    } else {
        Some(why.join("; "))
    }
}

crate::rule!(Afd024, "AFD024", {
    fn check_file(&self, cx: &FileCx<'_>, out: &mut Findings<'_>) {
        let Some(df) = dockerfile(cx) else { return };
        for st in &df.stages {
            if !st.base_known || st.parent.is_some() {
                continue;
            }
            if let Some(why) = eol_reason(&st.base_resolved) {
                out.push(
                    Finding::new(st.base.span, format!("base image `{}` is end of life: {why} (as of {}); it gets no security fixes", st.base_resolved, image::EOL_AS_OF))
                );
            }
        }
    }
});

#[cfg(test)]
mod tests {
    use super::eol_reason;

    #[test]
    fn eol_images() {
        assert!(
            eol_reason("apache/airflow:2.7.0-python3.9")
                .is_some_and(|w| w.contains("Airflow 2") && w.contains("Python 3.9"))
        );
        assert!(eol_reason("python:3.9-slim").is_some());
        assert!(eol_reason("python:3.8").is_some());
        assert!(eol_reason("python:3.12-slim").is_none());
        assert!(eol_reason("apache/airflow:3.1.0-python3.12").is_none());
        assert!(eol_reason("apache/airflow:latest").is_none());
    }
}
