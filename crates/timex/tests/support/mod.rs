pub mod duckling;
