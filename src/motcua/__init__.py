"""MotCua: administrative-reform platform for commune-level People's Committees."""
