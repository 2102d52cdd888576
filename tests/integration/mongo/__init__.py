"""What only the MongoDB adapter promises: indexes, outages, several workers on one database."""
