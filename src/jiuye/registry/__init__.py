"""Registries (台账): whole tables of persons, employers, hires... read, validated and matched."""
