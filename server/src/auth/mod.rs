//! Authentication: passwords, sessions and sign-in throttling.

pub mod code_step;
pub mod common_passwords;
pub mod device_cookie;
pub mod hash_queue;
pub mod password;
pub mod reset;
pub mod seal;
pub mod second_factor;
pub mod session_token;
pub mod signin;
pub mod signup;
pub mod throttle;
pub mod totp;
