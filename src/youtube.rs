//! YouTube video ids from any URL form.
