//! `mspod init`.

use crate::cli::InitArgs;
use crate::error::{Error, Result};
use crate::ui::Ui;

pub fn run(_args: &InitArgs, _ui: &Ui) -> Result<i32> {
    Err(Error::Usage("not implemented yet".into()))
}
