/** Public keys made with OpenSSH ssh-keygen; fingerprints as printed by `ssh-keygen -lf`. Test data only. */
export const SSH_KEY_FIXTURES = {
  ed25519: {
    line: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIM5k8+3AZ+v7oQFxIwhT7Jz5V0XRpKKoMDfidZQela0K test@ed25519',
    fingerprint: 'SHA256:pENtk2+HYUiZbDRYT7h+X7+5ulSZdZmRQmcRth7z1/A',
    bits: 256,
  },
  rsa: {
    line: 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCx0Hc1Ord2fxicMglu2kHg/GzJug75fXUHm+IPdtQ4+VOxua8J4iEtYr96ZTIAZMUU4a7sjCE6VDXer0DXv13ogFxcnhDM2vq18g7SQjY39kNqCupm8TzqhpCOPijx1eyZ6ZykTREL/SwvWKaK5r1QqfzjKB6K+J7R5C7/J7h+ntPlFYbFXktYMbHs7CkHbQ2eZ+gGTBn9f5RgujEUMgPYGHjnBXtvPcNhNwaCXSS1JSgU1wolLySnC14DKSfw24raVsqlZRqlCJJ4mV+JLSF+VbH6r/I72Y4PywZpGOJHbSWXPUGpRazLpiOOVL5hYnPvLCdqTib48yrnzKj3Npv3 test@rsa',
    fingerprint: 'SHA256:2HurA79xsRxF3A05zbpUbq/cVToLqkA3jKiRhYo+Bnk',
    bits: 2048,
  },
  rsa1024: {
    line: 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDiWNmT65s66Q7/1OmlU9PQTT4aFqG7ceJLrDk2PoaFoGhR4ybVMIn5OGM75A0xpuGlsTE38qgSF9nZriqzdGNEIT0/twIv6ZV9SUFY1mNBYF+sNoq3u0Kd7BqNINaxzSIl0PNufdMg9bpjKWEXqEa9gJaVmL52YjjmIVQUAz/jlw== test@rsa1024',
    fingerprint: 'SHA256:jpyuKbfmoMydt7BnsbGl7leKNV+Svh/CHC1JStyfOz0',
    bits: 1024,
  },
  rsa4096: {
    line: 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAACAQDdLmK0qrghOj74zTPhwhXuQeYhpNnyPC+KO2SsL9qwQ3DpDhBa3yz0HQ/UvYl9qPPtTuprrzvNuk1dD6h5TyxsUMHkuULqY7nKdnuUGpxBHcTYONrCr1Nees4OikdCQrWiDwpqMZejOdmOQgJWtaT7hVoivrhUdnQKtD5P5YgFh7QJOrfDPE7jRfiJn0YbBNugtPWfHrahOTqeFM/R7ij3Ug4NQZTrBm8WuwPYLXTxZesj+868nVdGnXMz4my5nvprCxJr5oPhZQJ712Bop6ztOOcqBNMBxsZNBOObq1soD42zxcgu5uE/PwA6EAJhTFrvXtDXp8qQmmkuu4PQq0dR6i7QRHAC+lF4TtAk1KL6r1S1QJdDFZ+kZkliBWu26DYY2iSZVYtw7mLW/tyVMiCXs3Rrrl9qEFfJoZmOZmmZxsz6JoUSdaXd0wbGf9IpRbuFa86M7sODYjRMK1Tx/tojnGVc6uguFVgl7R+2B6XTD1NVD7BqyVMdg7mcQQGIbzlLqAm6aaVP0hK0pcf9e8RBjI7IbJqhGoOcnPHG4Jomr5nANrSI8PmDXBm9Av30xnxEZKyK9rY/ZQXdaljeq7GzuKCqA/8zOQk9tdJNtQe7xAvGQG4P5VrkQZNDhmVocd2hOtibLs/6sFA3Q73AeiIhc4n96OvZ8gR5v1BKwJC8oQ== test@rsa4096',
    fingerprint: 'SHA256:q6wlt735D6uCX7wGqwyx7ajWy1/z4dhAarxGw7iczcs',
    bits: 4096,
  },
  p256: {
    line: 'ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBOWC54ofJVdqPxxXqYt1N/MmSeOecP9imzpkZDILh8RNmZ/1iob7ZbkZRaRJWE35bzDIgWOzyTHoklIm3Ixl6nU= test@p256',
    fingerprint: 'SHA256:H4e6EhpnOKwKwRf8AfdOi2aGvhkRUBAEVBn57MExI+M',
    bits: 256,
  },
  p384: {
    line: 'ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBFXViRmY2d5aq5aowH6XiRPjBS70DgPa1y9QvH+YTFKYtgDlEcOs+MRXZgVEr0A2D9cKWhvq+A6hn1MZIfKV0ZaMu0jrJattbZceBIyj9XxrnQOTGZtVdlliw5EpGzNQrA== test@p384',
    fingerprint: 'SHA256:Kc9lqf02dCji+FHge8D8NYbMjTwXWtI+Cm+Z+JK9p8I',
    bits: 384,
  },
  p521: {
    line: 'ecdsa-sha2-nistp521 AAAAE2VjZHNhLXNoYTItbmlzdHA1MjEAAAAIbmlzdHA1MjEAAACFBAFSTsvq0oBNM9ECHgkJaGiRg6GbTXSAJoXJkvY+W/lX+RIF2QZLvMXXR7ldU25aB9auRRzhBaQkJCl00BkoXIpKPQGtIhvtdz3Z8vyuIFwIc5p8JMeI0GhjoMbjTW1705Na5wtcfutGnS5AtRha1UxdByV8d0yQ+AOiQeDcK40C7oMIjw== test@p521',
    fingerprint: 'SHA256:/kxHFaycVku7ji3q+ayn2/XjAB6mPFp8KeTllYwwpdA',
    bits: 521,
  },
  dsa: {
    line: 'ssh-dss AAAAB3NzaC1kc3MAAACBALnIVvVwkXJh7jfu/hu/B6URwQKidnhNElgyInLer1kAZICpIP9h0CPrnnETpvc+k0RJs1JZpDR7AzEefAksgyAhtawNA92Q2puEW3oHqAf8YaXlryONfCvhbEZh84ErvgJiHOq8jjzjZB2VQCN2iGwQprkJ5XDNQrp3xxYjC3BBAAAAFQCMjLYq38sCt9dNolFIj+loV+V2xQAAAIBCi+aiokzStZSMKRnjKWP3NO5jwd542DIXNOCAPfycnf9CX4Av4lA47vNgzlL88dz1FHh/naOwKJlrn3P7hnuLmEj1v2C2nF6Aq/JCS977Szv22oDQUsjgqvURhMGhvhBPV+2bKkkAZyO6DHpkqpev5IDuOlsdk17aTff1oDIX9gAAAIEAhio032kjXfkVqR72K80fRay9YISZcW1IjGLdp4bMAQAnquvaVNWkXVx/2RqFkWknqm0Pc2wEJuc4Wxn5RcefwCC/pX3xiMnu3McJiwGPeaCJrEeQe4VtqvqMEzW90jGn6EsZan7qNnQAmp3xrv4SexB4n57F6Y0b5DMv7B3SWZ0= root@vm',
    fingerprint: 'SHA256:fibR7w04I0cgZHEGNO8Ys/0nW8yuhUVx4PHv5zU8PTE',
    bits: 1024,
  },
} as const;
