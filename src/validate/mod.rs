//! Stage 7: validate a feed against the rules of RSS 2.0, Apple, Spotify and Podcasting 2.0.
