fn main() {
    std::process::exit(afcheck::cli::main());
}
