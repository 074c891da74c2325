//! A boolean security setting (see `versioned::bool_rule!`).

super::versioned::bool_rule! { Afc034, "AFC034", bad: true,
locs: &[("webserver", "enable_proxy_fix"), ("fab", "enable_proxy_fix")],
why: "X-Forwarded-* headers are trusted; if clients can reach the server without the reverse proxy they can spoof their address, scheme and host" }
