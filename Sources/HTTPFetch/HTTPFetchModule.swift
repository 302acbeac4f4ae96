/// HTTP on libcurl (being built).
enum HTTPFetchModule {}
