/// The demo catalogue server (being built).
enum CatalogueServerModule {}
