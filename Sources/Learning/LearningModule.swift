/// Neural networks on OpenBLAS (being built).
enum LearningModule {}
