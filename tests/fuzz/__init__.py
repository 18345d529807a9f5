"""A mutation fuzzer over the program's readers and import (see README "Hostile files")."""
