//! `mspod publish`.

use crate::cli::PublishArgs;
use crate::error::{Error, Result};
use crate::ui::Ui;

pub fn run(_args: &PublishArgs, _ui: &Ui) -> Result<i32> {
    Err(Error::Usage("not implemented yet".into()))
}
