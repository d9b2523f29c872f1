"""cchc: administrative reform (cải cách hành chính) for Vietnamese communes."""
