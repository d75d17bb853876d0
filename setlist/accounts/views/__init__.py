"""Account endpoints, by area: tokens and sessions, cookie sign-in, the caller's account."""
