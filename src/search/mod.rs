//! The full-text search index (see issue 3). Placeholder until the index lands.
