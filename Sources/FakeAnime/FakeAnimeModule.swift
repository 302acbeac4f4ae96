/// The fake anime pipeline's work (being built).
enum FakeAnimeModule {}
