//! The YAML layer on arbitrary text: the loader, the Kubernetes object split,
//! and the read accessors over every node (aliases, scalar maps, resolution).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let stream = afcheck::yaml::parse(text);
    for id in 0..stream.nodes.len() {
        let node = stream.node(id as afcheck::yaml::NodeId);
        let node = node.deref();
        let span = node.span();
        assert!(span.start <= span.end && span.end() <= text.len(), "span out of the text");
        std::hint::black_box((node.as_str(), node.as_bool(), node.as_i64(), node.is_null()));
        if node.as_str().is_some() {
            let map = node.scalar_map(text);
            std::hint::black_box(map);
        }
        for (k, v) in node.entries() {
            std::hint::black_box((k.as_str(), v.span()));
        }
        std::hint::black_box(node.items().count());
    }
    let objects = afcheck::k8s::objects(&stream);
    for obj in &objects {
        if let Some(pod) = afcheck::k8s::pod_spec(obj, &stream) {
            std::hint::black_box(pod.containers().len());
        }
    }
});
