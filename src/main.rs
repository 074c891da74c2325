// jemalloc: the worker threads free the parse trees of every file they
// check; with the system allocators (glibc, musl) what they freed was kept
// in per-thread arenas and peak memory grew with the repository, and musl's
// allocator is slow under threads (docs/performance.md, "Memory").
#[cfg(not(target_os = "windows"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() {
    std::process::exit(afcheck::cli::main());
}
