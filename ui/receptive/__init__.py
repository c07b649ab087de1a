"""The Receptive Fields page: the stack choice, the photo with the fields outlined, the table."""
