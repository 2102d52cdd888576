"""The casework domain on plain data."""
