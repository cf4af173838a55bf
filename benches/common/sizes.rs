//! The corpus sizes a benchmark runs: its arguments, else `POSTKAMER_BENCH_SIZES` (comma
//! separated), else the bench's own default.

pub fn sizes(default: &[usize]) -> Vec<usize> {
    let from_args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    if !from_args.is_empty() {
        return from_args;
    }
    std::env::var("POSTKAMER_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| default.to_vec())
}
