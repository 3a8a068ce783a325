"""What the user wrote: data/ and report/ read, validated and cross-checked into one typed Project."""
