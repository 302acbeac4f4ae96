/// Images on libpng and libjpeg-turbo (being built).
enum ImagingModule {}
